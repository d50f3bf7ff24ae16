import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { FerryConfig } from '@ferry/config';
import { InjectRedis } from '@ferry/redis';
import { mapLtiRoles, type FerryRole } from '../roles';
import type { LaunchClaims } from './launch-claims';
import { launchCodeKey } from './launch-codes';

export interface LaunchToRecord {
  platformId: string;
  /** deployments.id of the deployment the launch came through. */
  deploymentId: string;
  claims: LaunchClaims;
  /** The full verified id_token payload, stored as it was signed. */
  payload: Record<string, unknown>;
}

export interface RecordedLaunch {
  launchId: string;
  userId: string;
  roles: FerryRole[];
  /** One-time code the SPA trades for a session (POST /api/session). */
  code: string;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

// One statement, so one transaction and one round trip: the user upsert is race-safe (two first
// launches of the same person at once both end on the same row) and the launch row can never exist
// without its user, nor the user be touched by a launch that failed to insert.
const RECORD_LAUNCH_SQL = `
WITH upserted_user AS (
  INSERT INTO users (platform_id, sub, name, given_name, family_name, email, picture, locale, username, last_roles)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (platform_id, sub) DO UPDATE SET
    name = EXCLUDED.name,
    given_name = EXCLUDED.given_name,
    family_name = EXCLUDED.family_name,
    email = EXCLUDED.email,
    picture = EXCLUDED.picture,
    locale = EXCLUDED.locale,
    username = EXCLUDED.username,
    last_roles = EXCLUDED.last_roles,
    updated_at = now()
  RETURNING id
)
INSERT INTO launches (
  user_id, platform_id, deployment_id, message_type, lti_roles, roles,
  context_id, context_label, context_title, context_type,
  resource_link_id, resource_link_title, resource_link_description, target_link_uri,
  custom, ags_endpoint, nrps_endpoint, deep_linking_settings, launch_presentation, tool_platform, lis, ext,
  locale, claims
)
SELECT upserted_user.id, $1, $11, $12, $10, $13,
  $14, $15, $16, $17,
  $18, $19, $20, $21,
  $22, $23, $24, $25, $26, $27, $28, $29,
  $30, $31
FROM upserted_user
RETURNING id, user_id`;

/**
 * Records a successful launch: the user (created or refreshed from the claims) and the launch in one
 * transaction, then a one-time launch code in Redis that the SPA redeems for a session.
 */
@Injectable()
export class LaunchRecorder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly config: FerryConfig,
  ) {}

  async recordLaunch({ platformId, deploymentId, claims, payload }: LaunchToRecord): Promise<RecordedLaunch> {
    const roles = mapLtiRoles(claims.roles);
    const { user, context, resourceLink } = claims;
    const rows: Array<{ id: string; user_id: string }> = await this.dataSource.query(RECORD_LAUNCH_SQL, [
      platformId,
      user.sub,
      user.name,
      user.givenName,
      user.familyName,
      user.email,
      user.picture,
      claims.locale,
      user.username,
      claims.roles,
      deploymentId,
      claims.messageType,
      roles,
      context?.id ?? null,
      context?.label ?? null,
      context?.title ?? null,
      context?.type ?? null,
      resourceLink?.id ?? null,
      resourceLink?.title ?? null,
      resourceLink?.description ?? null,
      claims.targetLinkUri,
      json(claims.custom),
      json(claims.agsEndpoint),
      json(claims.nrpsService),
      json(claims.deepLinkingSettings),
      json(claims.launchPresentation),
      json(claims.toolPlatform),
      json(claims.lis),
      json(claims.ext),
      claims.locale,
      JSON.stringify(payload),
    ]);
    const [{ id: launchId, user_id: userId }] = rows;

    const code = randomBytes(32).toString('base64url');
    await this.redis.set(launchCodeKey(code), launchId, 'EX', this.config.lti.launchCodeTtlSeconds);
    return { launchId, userId, roles, code };
  }
}
