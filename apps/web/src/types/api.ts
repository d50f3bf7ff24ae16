/** Shapes of Ferry's Session API (CONTRACT.md), shared by every feature that shows the session. */

export type FerryRole = 'admin' | 'instructor' | 'learner';

export interface SessionView {
  user: {
    id: string;
    name: string | null;
    email: string | null;
    roles: FerryRole[];
    /** The launch's locale (launch_presentation.locale, else the user's), e.g. `es` or `es_mx`. */
    locale?: string | null;
  };
  platform: { id: string; name: string; issuer: string };
  context: { id: string; label: string | null; title: string | null } | null;
  resourceLink: { id: string; title: string | null } | null;
  activityId: string | null;
  expiresAt: string | null;
}

/** POST /api/session: the view plus the bearer token for every later call. */
export interface IssuedSession extends SessionView {
  token: string;
  expiresAt: string;
}
