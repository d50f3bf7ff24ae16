import { apiClient } from '@/lib/api-client';
import type { IssuedSession } from '@/types/api';

/** Trades the one-time launch code (valid once, for 60 s) for a session. */
export function createSession(code: string): Promise<IssuedSession> {
  return apiClient.post<IssuedSession>('/api/session', { code });
}
