import { keepPreviousData, queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { isMoodleConnectionLost } from '@/lib/moodle-errors';
import type { Course } from '../types';
import { courseFilesKeys } from './course-files-keys';

/** Without a search: the launch's course first, then the admin's own courses. */
export function getCourses(search: string): Promise<Course[]> {
  const query = search ? `?search=${encodeURIComponent(search)}` : '';
  return apiClient.get<Course[]>(`/api/courses${query}`);
}

export const coursesQueryOptions = (search: string) =>
  queryOptions({ queryKey: courseFilesKeys.courses(search), queryFn: () => getCourses(search), staleTime: 60_000 });

export function useMyCourses() {
  return useSuspenseQuery(coursesQueryOptions('')).data;
}

/** Search results stay on screen while the next search runs; a lost connection goes to the boundary. */
export function useCourseSearch(search: string) {
  return useQuery({
    // Its own key: with the list's key, the admin's course list would stand in as "results".
    queryKey: courseFilesKeys.courseSearch(search),
    queryFn: () => getCourses(search),
    staleTime: 60_000,
    enabled: search.length > 0,
    placeholderData: keepPreviousData,
    throwOnError: isMoodleConnectionLost,
  });
}
