import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import * as oauth from 'openid-client';
import type { Repository } from 'typeorm';
import { FerryConfig } from '@ferry/config';
import { SecretBox } from '@ferry/crypto';
import { ErrorCode, FerryError } from '@ferry/errors';
import { User } from '@ferry/identity';
import {
  missingFunctions,
  MoodleWsClientFactory,
  MoodleWsError,
  requestLoginToken,
  type MoodleSession,
  type MoodleSessionSource,
  type MoodleSiteInfo,
  type MoodleTokenOwner,
} from '@ferry/moodle-ws';
import { InjectRedis } from '@ferry/redis';
import { oauthConfiguration, oauthErrorCode } from '../oauth/oauth-endpoints';
import { MoodleSettingsService, DEFAULT_LOGIN_SERVICE } from '../settings/moodle-settings.service';
import type { MoodleConnectionMethod, PlatformMoodleSettings } from '../settings/platform-moodle-settings.entity';
import { MoodleToken } from './moodle-token.entity';
import { withRefreshLock } from './refresh-lock';

/** GET /api/moodle-connection: the calling admin's own connection (CONTRACT.md). */
export interface MoodleConnectionView {
  configured: boolean;
  method: MoodleConnectionMethod | null;
  moodleUrl: string | null;
  connected: boolean;
  moodleUser: { id: number; username: string; fullname: string } | null;
  missingFunctions: string[];
  /** Moodle refused the stored token and it could not be refreshed: the admin connects again. */
  needsReconnect: boolean;
  /** How this admin may connect: the platform's configured method, and a pasted token always. */
  methods: MoodleConnectionMethod[];
}

/** Tokens as Moodle handed them out, before Ferry checks whose they are. */
export interface IssuedMoodleTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string | null;
}

/** An OAuth access token is refreshed this long before it expires, so no call goes out with a dying token. */
export const REFRESH_MARGIN_MS = 60_000;

function reconnectNeeded(reason: string): MoodleWsError {
  return new MoodleWsError(
    ErrorCode.MoodleTokenInvalid,
    'Moodle no longer accepts your connection; connect Ferry to Moodle again.',
    { reconnect: true, reason },
    'Open Ferry from Moodle and connect again.',
  );
}

const isTokenInvalid = (error: unknown) => error instanceof FerryError && error.code === ErrorCode.MoodleTokenInvalid;

/**
 * Each admin's own Moodle token on their platform: connecting (OAuth tokens, a pasted web service
 * token, or a token traded once for a username and password), checking whose token it is, refresh
 * before expiry under a lock shared by every api replica and worker, and disconnecting. Nothing
 * here ever uses another user's token, and no token or password is ever logged.
 */
@Injectable()
export class MoodleConnectionsService implements MoodleSessionSource {
  private readonly logger = new Logger(MoodleConnectionsService.name);

  constructor(
    @InjectRepository(MoodleToken) private readonly tokens: Repository<MoodleToken>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly settings: MoodleSettingsService,
    private readonly secrets: SecretBox,
    private readonly wsClients: MoodleWsClientFactory,
    private readonly config: FerryConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async connection(owner: MoodleTokenOwner): Promise<MoodleConnectionView> {
    const settings = await this.settings.find(owner.platformId);
    const token = settings ? await this.find(owner) : null;
    return this.view(settings, token);
  }

  /** A web service token the admin created in Moodle and pasted into Ferry. */
  async connectWithToken(owner: MoodleTokenOwner, token: string): Promise<MoodleConnectionView> {
    const settings = await this.settings.require(owner.platformId);
    await this.store(owner, settings, 'wstoken', { accessToken: token, refreshToken: null, expiresAt: null, scope: null });
    return this.connection(owner);
  }

  /** Trades the admin's Moodle username and password once at login/token.php; the password is not kept anywhere. */
  async connectWithCredentials(owner: MoodleTokenOwner, login: { username: string; password: string }): Promise<MoodleConnectionView> {
    const settings = await this.settings.require(owner.platformId);
    if (settings.method !== 'credentials') {
      throw new FerryError(ErrorCode.BadRequest, 'This platform does not let admins sign in to Moodle through Ferry; paste a token or use the configured method.');
    }
    const accessToken = await requestLoginToken(settings.moodleUrl, { ...login, service: settings.service ?? DEFAULT_LOGIN_SERVICE });
    await this.store(owner, settings, 'credentials', { accessToken, refreshToken: null, expiresAt: null, scope: null });
    return this.connection(owner);
  }

  /** Tokens from the OAuth callback, checked and stored like any other. */
  async connectWithOauthTokens(owner: MoodleTokenOwner, tokens: IssuedMoodleTokens): Promise<void> {
    const settings = await this.settings.require(owner.platformId);
    await this.store(owner, settings, 'oauth', tokens);
  }

  /** Deletes the admin's tokens, and revokes them at Moodle where the OAuth provider can. */
  async disconnect(owner: MoodleTokenOwner): Promise<void> {
    const token = await this.find(owner);
    if (!token) return;
    const settings = await this.settings.find(owner.platformId);
    const client = settings && token.method === 'oauth' ? this.settings.oauthClientOf(settings) : null;
    if (client?.endpoints.revokeUrl) {
      const configuration = oauthConfiguration(client.endpoints, client.client, this.config.allowInsecurePlatformUrls);
      for (const sealed of [token.refreshToken, token.accessToken]) {
        if (!sealed) continue;
        await oauth.tokenRevocation(configuration, this.secrets.open(sealed)).catch((error: unknown) => {
          this.logger.warn(`Revoking a Moodle token of user ${owner.userId} failed: ${oauthErrorCode(error) ?? (error as Error).name}`);
        });
      }
    }
    await this.tokens.delete({ id: token.id });
  }

  async withMoodle<T>(owner: MoodleTokenOwner, work: (session: MoodleSession) => Promise<T>): Promise<T> {
    const { token, settings } = await this.usable(owner);
    const expiring = token.method === 'oauth' && token.expiresAt && token.expiresAt.getTime() - Date.now() < REFRESH_MARGIN_MS;
    const first = this.session(settings, token);
    const session = expiring ? await this.refreshNow(owner, first.token) : first;
    try {
      return await work(session);
    } catch (error) {
      if (!isTokenInvalid(error)) throw error;
      if (token.method !== 'oauth' || !token.refreshToken) {
        await this.markNeedsReconnect(token);
        throw reconnectNeeded('token_refused');
      }
      const refreshed = await this.refreshNow(owner, session.token);
      try {
        return await work(refreshed);
      } catch (retryError) {
        if (isTokenInvalid(retryError)) {
          await this.markNeedsReconnect(token);
          throw reconnectNeeded('refreshed_token_refused');
        }
        throw retryError;
      }
    }
  }

  /**
   * A new access token now, through the refresh token. One refresh at a time per admin: whoever
   * waited for another process's refresh uses the token it stored, and so does whoever finds that
   * `staleToken` (the access token it saw expiring or refused) was replaced while it waited. A
   * refresh Moodle refuses leaves the connection waiting for the admin to reconnect.
   */
  async refreshNow(owner: MoodleTokenOwner, staleToken?: string): Promise<MoodleSession> {
    const { token: before, settings } = await this.usable(owner);
    const stale = staleToken ?? this.secrets.open(before.accessToken);
    const client = this.settings.oauthClientOf(settings);
    if (before.method !== 'oauth' || !before.refreshToken || !client) {
      await this.markNeedsReconnect(before);
      throw reconnectNeeded('no_refresh_token');
    }
    const lockKey = `ferry:moodle-refresh:${owner.platformId}:${owner.userId}`;
    const reread = async () => {
      const { token, settings: current } = await this.usable(owner);
      return this.session(current, token);
    };
    return withRefreshLock(
      this.redis,
      lockKey,
      async () => {
        const current = await this.find(owner);
        if (!current || current.needsReconnect) throw reconnectNeeded('disconnected');
        // Someone refreshed after our caller read the token (before our lock, or even before our
        // first read): their token is the new one, and refreshing again would waste a rotation.
        if (this.secrets.open(current.accessToken) !== stale) return this.session(settings, current);
        const configuration = oauthConfiguration(client.endpoints, client.client, this.config.allowInsecurePlatformUrls);
        let response: oauth.TokenEndpointResponse & oauth.TokenEndpointResponseHelpers;
        try {
          response = await oauth.refreshTokenGrant(configuration, this.secrets.open(current.refreshToken!));
        } catch (error) {
          const code = oauthErrorCode(error);
          if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client') {
            await this.markNeedsReconnect(current);
            throw reconnectNeeded(code);
          }
          throw new MoodleWsError(ErrorCode.MoodleUnreachable, 'Ferry could not refresh your Moodle connection: Moodle did not answer.', { oauthError: code });
        }
        const expiresIn = response.expiresIn();
        // The rotated refresh token replaces the old one in the same row update as the access token.
        await this.tokens.update(
          { id: current.id },
          {
            accessToken: this.secrets.seal(response.access_token),
            refreshToken: response.refresh_token ? this.secrets.seal(response.refresh_token) : current.refreshToken,
            expiresAt: expiresIn !== undefined ? new Date(Date.now() + expiresIn * 1000) : null,
            scope: response.scope ?? current.scope,
            needsReconnect: false,
          },
        );
        return reread();
      },
      reread,
    );
  }

  private async usable(owner: MoodleTokenOwner): Promise<{ token: MoodleToken; settings: PlatformMoodleSettings }> {
    const settings = await this.settings.require(owner.platformId);
    const token = await this.find(owner);
    if (!token) {
      throw new FerryError(ErrorCode.MoodleNotConnected, 'Connect Ferry to your Moodle account first.', undefined, 'Open Ferry from Moodle and connect.');
    }
    if (token.needsReconnect) throw reconnectNeeded('needs_reconnect');
    return { token, settings };
  }

  private session(settings: PlatformMoodleSettings, token: MoodleToken): MoodleSession {
    const accessToken = this.secrets.open(token.accessToken);
    return { client: this.wsClients.forConnection({ moodleUrl: settings.moodleUrl, token: accessToken }), moodleUrl: settings.moodleUrl, token: accessToken };
  }

  private find(owner: MoodleTokenOwner): Promise<MoodleToken | null> {
    return this.tokens.findOneBy({ platformId: owner.platformId, userId: owner.userId });
  }

  private async markNeedsReconnect(token: MoodleToken): Promise<void> {
    await this.tokens.update({ id: token.id }, { needsReconnect: true });
  }

  /**
   * Checks a token with core_webservice_get_site_info before keeping it: it must work, and it must
   * be the launching admin's own (Moodle's LTI `sub` is the Moodle user id).
   */
  private async store(owner: MoodleTokenOwner, settings: PlatformMoodleSettings, method: MoodleConnectionMethod, issued: IssuedMoodleTokens): Promise<void> {
    const siteInfo = await this.wsClients.forConnection({ moodleUrl: settings.moodleUrl, token: issued.accessToken }).getSiteInfo();
    const user = await this.users.findOneByOrFail({ id: owner.userId, platformId: owner.platformId });
    if (!isSameMoodleUser(user, siteInfo)) {
      throw new FerryError(
        ErrorCode.TokenUserMismatch,
        'This token belongs to a different Moodle user. Use a token of your own Moodle account.',
        { tokenUser: siteInfo.username },
      );
    }
    await this.tokens.upsert(
      {
        platformId: owner.platformId,
        userId: owner.userId,
        method,
        accessToken: this.secrets.seal(issued.accessToken),
        refreshToken: issued.refreshToken ? this.secrets.seal(issued.refreshToken) : null,
        expiresAt: issued.expiresAt,
        scope: issued.scope,
        moodleUserId: siteInfo.userid,
        moodleUsername: siteInfo.username,
        moodleFullname: siteInfo.fullname,
        siteInfo: {
          sitename: siteInfo.sitename,
          siteurl: siteInfo.siteurl,
          release: siteInfo.release ?? null,
          version: siteInfo.version ?? null,
          functions: siteInfo.functions.map((fn) => fn.name),
        },
        needsReconnect: false,
      },
      { conflictPaths: ['platformId', 'userId'] },
    );
  }

  private view(settings: PlatformMoodleSettings | null, token: MoodleToken | null): MoodleConnectionView {
    if (!settings) {
      return { configured: false, method: null, moodleUrl: null, connected: false, moodleUser: null, missingFunctions: [], needsReconnect: false, methods: [] };
    }
    return {
      configured: true,
      method: token?.method ?? settings.method,
      moodleUrl: settings.moodleUrl,
      connected: token !== null,
      moodleUser: token ? { id: token.moodleUserId, username: token.moodleUsername, fullname: token.moodleFullname } : null,
      missingFunctions: token ? missingFunctions({ functions: token.siteInfo.functions.map((name) => ({ name, version: '' })) }) : [],
      needsReconnect: token?.needsReconnect ?? false,
      methods: [...new Set<MoodleConnectionMethod>([settings.method, 'wstoken'])],
    };
  }
}

/** Moodle sends the user id as the LTI `sub`; other platforms may not, and then the username has to match. */
export function isSameMoodleUser(user: Pick<User, 'sub' | 'username'>, siteInfo: Pick<MoodleSiteInfo, 'userid' | 'username'>): boolean {
  if (/^\d+$/.test(user.sub)) return Number(user.sub) === siteInfo.userid;
  return user.username !== null && user.username.toLowerCase() === siteInfo.username.toLowerCase();
}
