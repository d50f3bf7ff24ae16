import { randomBytes, randomInt } from 'node:crypto';
import type { LtiMessageType } from '../platform-emulator.types';

export const SESSION_COOKIE = 'MoodleSession';

/** What Moodle keeps in `$SESSION->{launchid}` between launch.php and auth.php. */
export interface PendingLaunch {
  messageType: LtiMessageType;
  deploymentId: string;
  /** Resource link launches: the activity's course module id. */
  cmid?: number;
  /** Deep linking: the title and text for the content selection. */
  title?: string;
  text?: string;
}

export interface MoodleSession {
  id: string;
  userId: string;
  sesskey: string;
  launches: Map<string, PendingLaunch>;
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Moodle's sesskey: 10 random alphanumerics. */
export function newSesskey(): string {
  return Array.from({ length: 10 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

/** Logged-in browser sessions, keyed by the MoodleSession cookie. */
export class MoodleSessions {
  private readonly sessions = new Map<string, MoodleSession>();

  start(userId: string): MoodleSession {
    const session: MoodleSession = {
      id: randomBytes(13).toString('hex'),
      userId,
      sesskey: newSesskey(),
      launches: new Map(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  find(id: string | undefined): MoodleSession | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  findBySesskey(sesskey: string): MoodleSession | undefined {
    return [...this.sessions.values()].find((session) => session.sesskey === sesskey);
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Remembers a launch for auth.php and returns its launch id, which Moodle sends inside lti_message_hint. */
  addLaunch(session: MoodleSession, launch: PendingLaunch, instanceId?: number): string {
    const launchId =
      launch.messageType === 'LtiDeepLinkingRequest'
        ? `ltilaunch_ContentItemSelectionRequest${randomInt(2 ** 31 - 1)}`
        : `ltilaunch${instanceId}_${randomInt(2 ** 31 - 1)}`;
    session.launches.set(launchId, launch);
    return launchId;
  }

  /** Moodle unsets the launch as soon as auth.php reads it: lti_message_hint works once. */
  takeLaunch(session: MoodleSession | undefined, launchId: string): PendingLaunch | undefined {
    const launch = session?.launches.get(launchId);
    session?.launches.delete(launchId);
    return launch;
  }
}
