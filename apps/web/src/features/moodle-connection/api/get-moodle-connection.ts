import { queryOptions, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiClient } from '@/lib/api-client';
import type { MoodleConnection } from '../types';
import { moodleKeys } from './moodle-keys';

export function getMoodleConnection(): Promise<MoodleConnection> {
  return apiClient.get<MoodleConnection>('/api/moodle-connection');
}

export const moodleConnectionQueryOptions = () =>
  queryOptions({ queryKey: moodleKeys.connection(), queryFn: getMoodleConnection });

export function useMoodleConnection() {
  return useSuspenseQuery(moodleConnectionQueryOptions()).data;
}

/**
 * For a call elsewhere that found the connection gone (409 `moodle_token_invalid` or
 * `moodle_not_connected`): fetch the connection again, which now says why.
 */
export function useRefreshMoodleConnection() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: moodleKeys.connection() }), [queryClient]);
}
