import type { MoodleWsClient } from '@ferry/moodle-ws';

/** Whose Moodle token a job uses: always the admin who requested the transfer. */
export interface TransferTokenOwner {
  platformId: string;
  userId: string;
}

export interface TransferMoodleSession {
  client: MoodleWsClient;
  moodleUrl: string;
  token: string;
}

/**
 * What the worker needs from `MoodleConnectionsService` (@ferry/moodle-oauth): run work with the
 * owner's own token (refreshed and retried once on `moodle_token_invalid`), and force a refresh
 * when a download is refused mid-transfer.
 */
export interface MoodleSessionSource {
  withMoodle<T>(owner: TransferTokenOwner, work: (session: TransferMoodleSession) => Promise<T>): Promise<T>;
  refreshNow(owner: TransferTokenOwner): Promise<TransferMoodleSession>;
}

export const MOODLE_SESSIONS = Symbol('MOODLE_SESSIONS');
