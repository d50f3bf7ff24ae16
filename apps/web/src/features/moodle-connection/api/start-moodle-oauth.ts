import { useMutation } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';

/** A one-time URL (60 s) for the popup: a popup cannot carry the bearer header, the ticket in it can. */
export function startMoodleOauth(): Promise<{ url: string }> {
  return apiClient.post<{ url: string }>('/api/moodle-oauth/start');
}

export function useStartMoodleOauth() {
  return useMutation({ mutationFn: startMoodleOauth });
}
