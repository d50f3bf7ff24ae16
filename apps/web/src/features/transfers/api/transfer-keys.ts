export const transferKeys = {
  all: ['transfers'] as const,
  lists: () => [...transferKeys.all, 'list'] as const,
  list: (courseId: number) => [...transferKeys.lists(), courseId] as const,
  details: () => [...transferKeys.all, 'detail'] as const,
  detail: (transferId: string) => [...transferKeys.details(), transferId] as const,
};
