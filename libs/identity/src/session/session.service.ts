import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AuthError, ErrorCode, FerryError } from '@ferry/errors';
import { InjectRedis, takeOnce } from '@ferry/redis';
import type { UserPrincipal } from '../auth/principal';
import { SessionTokenService } from '../auth/session-token.service';
import { launchCodeKey } from '../launches/launch-codes';
import type { FerryRole } from '../roles';

/** Everything the SPA learns about who launched it and from where (CONTRACT.md "Session API"). */
export interface SessionView {
  user: { id: string; name: string | null; email: string | null; roles: FerryRole[]; locale: string | null };
  platform: { id: string; name: string; issuer: string };
  context: { id: string; label: string | null; title: string | null } | null;
  resourceLink: { id: string; title: string | null } | null;
  activityId: string | null;
}

export interface IssuedSession extends SessionView {
  token: string;
  expiresAt: Date;
}

interface SessionRow {
  launch_id: string;
  user_id: string;
  platform_id: string;
  roles: FerryRole[];
  context_id: string | null;
  context_label: string | null;
  context_title: string | null;
  resource_link_id: string | null;
  resource_link_title: string | null;
  activity_id: string | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  locale: string | null;
  platform_name: string;
  issuer: string;
}

// The platforms table is read by name: identity does not depend on the platforms lib.
const SESSION_VIEW_SQL = `
SELECT l.id AS launch_id, l.user_id, l.platform_id, l.roles,
  l.context_id, l.context_label, l.context_title, l.resource_link_id, l.resource_link_title, l.activity_id,
  u.name, u.given_name, u.family_name, u.email, COALESCE(l.locale, u.locale) AS locale,
  p.name AS platform_name, p.issuer
FROM launches l
JOIN users u ON u.id = l.user_id
JOIN platforms p ON p.id = l.platform_id
WHERE l.id = $1`;

function displayName(row: SessionRow): string | null {
  if (row.name) return row.name;
  const parts = [row.given_name, row.family_name].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

function toView(row: SessionRow): SessionView {
  return {
    user: { id: row.user_id, name: displayName(row), email: row.email, roles: row.roles, locale: row.locale },
    platform: { id: row.platform_id, name: row.platform_name, issuer: row.issuer },
    context: row.context_id ? { id: row.context_id, label: row.context_label, title: row.context_title } : null,
    resourceLink: row.resource_link_id ? { id: row.resource_link_id, title: row.resource_link_title } : null,
    activityId: row.activity_id,
  };
}

/** Trades a one-time launch code for a Ferry session, and describes the session's launch. */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly sessionTokens: SessionTokenService,
  ) {}

  async redeemLaunchCode(code: string): Promise<IssuedSession> {
    const launchId = await takeOnce(this.redis, launchCodeKey(code));
    const row = launchId ? await this.loadSessionRow(launchId) : null;
    if (!row) {
      throw new FerryError(
        ErrorCode.LaunchCodeInvalid,
        'This launch code is unknown, was already used, or has expired.',
        undefined,
        'Launch Ferry again from the Moodle course page; a launch code works once, within a minute.',
      );
    }
    const { token, expiresAt } = await this.sessionTokens.issue({
      userId: row.user_id,
      platformId: row.platform_id,
      launchId: row.launch_id,
      roles: row.roles,
    });
    return { token, expiresAt, ...toView(row) };
  }

  async describeSession(principal: UserPrincipal): Promise<SessionView> {
    const row = await this.loadSessionRow(principal.launchId);
    if (!row || row.user_id !== principal.userId || row.platform_id !== principal.platformId) {
      throw new AuthError(ErrorCode.Unauthenticated, 'This session no longer matches a launch. Launch Ferry again from Moodle.');
    }
    return toView(row);
  }

  private async loadSessionRow(launchId: string): Promise<SessionRow | null> {
    const rows: SessionRow[] = await this.dataSource.query(SESSION_VIEW_SQL, [launchId]);
    return rows[0] ?? null;
  }
}
