import { apiClient } from '@/lib/api-client';
import type { MoodleConnection } from '../types';

/**
 * Ferry trades the credentials once at Moodle's login/token.php and never keeps the password.
 * Deliberately no mutation hook: a mutation would keep the password in its state (`variables`).
 */
export function connectWithCredentials(credentials: { username: string; password: string }): Promise<MoodleConnection> {
  return apiClient.post<MoodleConnection>('/api/moodle-connection/credentials', credentials);
}
