import type { FerryRole } from '../../roles';
import type { IssuedSession, SessionView } from '../session.service';

export interface SessionUserDto {
  id: string;
  name: string | null;
  email: string | null;
  roles: FerryRole[];
  /** The language the SPA shows (launch_presentation.locale, else the user's locale claim). */
  locale: string | null;
}

interface SessionViewDto {
  user: SessionUserDto;
  platform: { id: string; name: string; issuer: string };
  context: { id: string; label: string | null; title: string | null } | null;
  resourceLink: { id: string; title: string | null } | null;
  activityId: string | null;
}

/** GET /api/me: the session's launch, without the token. */
export interface MeDto extends SessionViewDto {
  expiresAt: string | null;
}

/** POST /api/session. */
export interface SessionDto extends SessionViewDto {
  token: string;
  expiresAt: string;
}

function toViewDto(view: SessionView): SessionViewDto {
  return {
    user: { ...view.user },
    platform: { ...view.platform },
    context: view.context && { ...view.context },
    resourceLink: view.resourceLink && { ...view.resourceLink },
    activityId: view.activityId,
  };
}

export function toMeDto(view: SessionView, expiresAt: Date | undefined): MeDto {
  return { expiresAt: expiresAt?.toISOString() ?? null, ...toViewDto(view) };
}

export function toSessionDto(session: IssuedSession): SessionDto {
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), ...toViewDto(session) };
}
