import { apiClient } from '@/lib/api-client';
import type { SessionView } from '@/types/api';

/** The session the stored bearer token belongs to. */
export function getMe(): Promise<SessionView> {
  return apiClient.get<SessionView>('/api/me');
}
