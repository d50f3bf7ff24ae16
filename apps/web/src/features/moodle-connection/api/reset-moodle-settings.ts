import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { moodleKeys } from './moodle-keys';

/** Removes the platform's Moodle settings and every admin's token for the platform. */
export function resetMoodleSettings(): Promise<void> {
  return apiClient.delete('/api/platform/moodle-settings');
}

export function useResetMoodleSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetMoodleSettings,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: moodleKeys.all }),
  });
}
