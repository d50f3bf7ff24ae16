import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { MoodleSettings } from '../types';
import { moodleKeys } from './moodle-keys';

export function getMoodleSettings(): Promise<MoodleSettings> {
  return apiClient.get<MoodleSettings>('/api/platform/moodle-settings');
}

export const moodleSettingsQueryOptions = () =>
  queryOptions({ queryKey: moodleKeys.settings(), queryFn: getMoodleSettings });

export function useMoodleSettings() {
  return useSuspenseQuery(moodleSettingsQueryOptions()).data;
}
