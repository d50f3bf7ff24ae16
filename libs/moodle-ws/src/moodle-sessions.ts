import type { MoodleWsClient } from './moodle-ws.client';

/** Whose Moodle token is used: one admin on one platform, never anyone else's. */
export interface MoodleTokenOwner {
  platformId: string;
  userId: string;
}

/** One admin's live way into their Moodle. */
export interface MoodleSession {
  client: MoodleWsClient;
  moodleUrl: string;
  token: string;
}

/**
 * Where the api and the worker get an admin's Moodle session (`MoodleConnectionsService` of
 * @ferry/moodle-oauth provides it): run work with the owner's own token, refreshed and retried
 * once on `moodle_token_invalid`, and force a refresh when a download is refused mid-transfer.
 * `refreshNow` takes the token the caller saw refused: when another caller has replaced it in the
 * meantime, that newer token is used instead of refreshing a second time.
 */
export interface MoodleSessionSource {
  withMoodle<T>(owner: MoodleTokenOwner, work: (session: MoodleSession) => Promise<T>): Promise<T>;
  refreshNow(owner: MoodleTokenOwner, staleToken?: string): Promise<MoodleSession>;
}

export const MOODLE_SESSIONS = Symbol('MOODLE_SESSIONS');
