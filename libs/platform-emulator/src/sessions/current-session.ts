import type { Request } from 'express';
import type { PlatformEmulator } from '../platform-emulator';
import { SESSION_COOKIE, type MoodleSession } from './moodle-sessions';

/** The logged-in session the request's MoodleSession cookie names, if any. */
export function currentSession(request: Request, emulator: PlatformEmulator): MoodleSession | undefined {
  const cookies = (request.cookies ?? {}) as Record<string, string | undefined>;
  return emulator.sessions.find(cookies[SESSION_COOKIE]);
}
