export const courseFilesKeys = {
  all: ['course-files'] as const,
  courses: (search: string) => [...courseFilesKeys.all, 'courses', search] as const,
  courseSearch: (search: string) => [...courseFilesKeys.all, 'course-search', search] as const,
  files: (courseId: number) => [...courseFilesKeys.all, 'files', courseId] as const,
};
