import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { moodleKeys } from './moodle-keys';

/** Deletes this admin's tokens (and revokes them at Moodle where the provider can). */
export function disconnectMoodle(): Promise<void> {
  return apiClient.delete('/api/moodle-connection');
}

export function useDisconnectMoodle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: disconnectMoodle,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: moodleKeys.connection() }),
  });
}
