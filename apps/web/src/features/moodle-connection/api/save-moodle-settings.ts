import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import type { MoodleSettings, SaveMoodleSettings } from '../types';
import { moodleKeys } from './moodle-keys';

/** Ferry checks the settings live against Moodle before it saves them: 422 names the failing part. */
export function saveMoodleSettings(settings: SaveMoodleSettings): Promise<MoodleSettings> {
  return apiClient.put<MoodleSettings>('/api/platform/moodle-settings', settings);
}

export function useSaveMoodleSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveMoodleSettings,
    onSuccess: (saved) => {
      queryClient.setQueryData(moodleKeys.settings(), saved);
      // The connection follows the settings (configured, method, what an admin may use).
      return queryClient.invalidateQueries({ queryKey: moodleKeys.all });
    },
  });
}
