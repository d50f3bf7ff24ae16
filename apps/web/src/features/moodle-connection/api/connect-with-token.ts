import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { MoodleConnection } from '../types';
import { moodleKeys } from './moodle-keys';

/** Ferry checks a pasted web service token with Moodle (same user as the launch) before it keeps it. */
export function connectWithToken(token: string): Promise<MoodleConnection> {
  return apiClient.post<MoodleConnection>('/api/moodle-connection/token', { token });
}

export function useConnectWithToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: connectWithToken,
    onSuccess: (connection) => {
      queryClient.setQueryData(moodleKeys.connection(), connection);
      return queryClient.invalidateQueries({ queryKey: moodleKeys.connection() });
    },
  });
}
