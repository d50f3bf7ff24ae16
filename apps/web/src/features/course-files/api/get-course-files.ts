import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { CourseFiles } from '../types';
import { courseFilesKeys } from './course-files-keys';

export function getCourseFiles(courseId: number): Promise<CourseFiles> {
  return apiClient.get<CourseFiles>(`/api/courses/${courseId}/files`);
}

export const courseFilesQueryOptions = (courseId: number) =>
  queryOptions({ queryKey: courseFilesKeys.files(courseId), queryFn: () => getCourseFiles(courseId), staleTime: 30_000 });

export function useCourseFiles(courseId: number) {
  return useSuspenseQuery(courseFilesQueryOptions(courseId)).data;
}
