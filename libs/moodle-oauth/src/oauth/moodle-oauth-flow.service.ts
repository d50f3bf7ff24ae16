import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import * as oauth from 'openid-client';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError } from '@ferry/errors';
import type { MoodleTokenOwner } from '@ferry/moodle-ws';
import { InjectRedis, takeOnce } from '@ferry/redis';
import { MoodleConnectionsService } from '../connections/moodle-connections.service';
import { moodleOauthRedirectUri } from '../settings/moodle-settings-check';
import { MoodleSettingsService } from '../settings/moodle-settings.service';
import { oauthConfiguration, oauthErrorCode } from './oauth-endpoints';

/** A popup cannot carry the SPA's bearer header, so it opens a one-time URL instead; valid this long. */
export const OAUTH_TICKET_TTL_SECONDS = 60;
/** Time the admin has on Moodle's sign-in and consent pages. */
export const OAUTH_STATE_TTL_SECONDS = 600;

interface PendingAuthorization extends MoodleTokenOwner {
  codeVerifier: string;
  /** SHA-256 of the browser binding cookie set with the redirect to Moodle. */
  bindingHash: string;
}

/** The binding cookie: set when the popup leaves for Moodle, read when Moodle sends it back. */
export const OAUTH_BINDING_COOKIE = 'ferry_moodle_oauth';

const ticketKey = (ticket: string) => `ferry:moodle-oauth:ticket:${ticket}`;
const stateKey = (state: string) => `ferry:moodle-oauth:state:${state}`;
const sha256 = (value: string) => createHash('sha256').update(value).digest();

function stateInvalid(): FerryError {
  return new FerryError(ErrorCode.OauthStateInvalid, 'This Moodle sign-in is unknown, expired, already used, or was started in another browser. Start again from Ferry.');
}

/**
 * OAuth 2 authorization code + PKCE (S256) with a platform's Moodle, through openid-client:
 * one-time ticket → redirect to Moodle with state and code challenge → callback checks state (single
 * use, bound to the Ferry user and to this browser) and the verifier, then stores the tokens.
 */
@Injectable()
export class MoodleOauthFlowService {
  private readonly logger = new Logger(MoodleOauthFlowService.name);

  constructor(
    private readonly settings: MoodleSettingsService,
    private readonly connections: MoodleConnectionsService,
    private readonly config: FerryConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /** POST /api/moodle-oauth/start: a one-time URL for the popup. */
  async start(owner: MoodleTokenOwner): Promise<{ url: string }> {
    const settings = await this.settings.require(owner.platformId);
    if (!this.settings.oauthClientOf(settings)) {
      throw new FerryError(ErrorCode.BadRequest, 'This platform is not set up to connect through OAuth; paste a web service token instead.');
    }
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.set(ticketKey(ticket), JSON.stringify({ platformId: owner.platformId, userId: owner.userId }), 'EX', OAUTH_TICKET_TTL_SECONDS);
    return { url: `${this.config.publicUrl.replace(/\/+$/, '')}/api/moodle-oauth/authorize?ticket=${ticket}` };
  }

  /** GET /api/moodle-oauth/authorize: trades the ticket for Moodle's authorize URL and a binding cookie value. */
  async authorize(ticket: string): Promise<{ redirectTo: string; binding: string }> {
    const stored = ticket ? await takeOnce(this.redis, ticketKey(ticket)) : null;
    if (!stored) throw new FerryError(ErrorCode.OauthTicketInvalid, 'This link to Moodle’s sign-in has expired or was already used. Start again from Ferry.');
    const owner = JSON.parse(stored) as MoodleTokenOwner;
    const settings = await this.settings.require(owner.platformId);
    const client = this.settings.oauthClientOf(settings);
    if (!client) throw new FerryError(ErrorCode.MoodleNotConfigured, 'This platform is no longer set up to connect through OAuth.');

    const codeVerifier = oauth.randomPKCECodeVerifier();
    const state = oauth.randomState();
    const binding = randomBytes(32).toString('base64url');
    const pending: PendingAuthorization = { ...owner, codeVerifier, bindingHash: sha256(binding).toString('base64url') };
    await this.redis.set(stateKey(state), JSON.stringify(pending), 'EX', OAUTH_STATE_TTL_SECONDS);

    const configuration = oauthConfiguration(client.endpoints, client.client, this.config.allowInsecurePlatformUrls);
    const url = oauth.buildAuthorizationUrl(configuration, {
      redirect_uri: moodleOauthRedirectUri(this.config),
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      ...(client.endpoints.scope ? { scope: client.endpoints.scope } : {}),
    });
    return { redirectTo: url.href, binding };
  }

  /**
   * GET /api/moodle-oauth/callback: Moodle sends the admin back with `code` + `state` (or `error`).
   * The state is taken once; it must have been started in this browser by the same Ferry user.
   */
  async complete(query: Record<string, string | undefined>, binding: string | undefined): Promise<void> {
    const state = query.state;
    const stored = state ? await takeOnce(this.redis, stateKey(state)) : null;
    if (!stored || !state) throw stateInvalid();
    const pending = JSON.parse(stored) as PendingAuthorization;
    const expected = Buffer.from(pending.bindingHash, 'base64url');
    if (!binding || !timingSafeEqual(sha256(binding), expected)) throw stateInvalid();

    if (query.error === 'access_denied') throw new FerryError(ErrorCode.OauthAccessDenied, 'Moodle’s consent was declined, so Ferry is not connected.');
    if (query.error) {
      throw new FerryError(ErrorCode.OauthGrantFailed, `Moodle’s OAuth server answered ${query.error}.`, { oauthError: query.error, description: query.error_description ?? null });
    }
    const settings = await this.settings.require(pending.platformId);
    const client = this.settings.oauthClientOf(settings);
    if (!client) throw new FerryError(ErrorCode.MoodleNotConfigured, 'This platform is no longer set up to connect through OAuth.');

    const configuration = oauthConfiguration(client.endpoints, client.client, this.config.allowInsecurePlatformUrls);
    const currentUrl = new URL(moodleOauthRedirectUri(this.config));
    for (const [name, value] of Object.entries(query)) if (value !== undefined) currentUrl.searchParams.set(name, value);
    let tokens: oauth.TokenEndpointResponse & oauth.TokenEndpointResponseHelpers;
    try {
      tokens = await oauth.authorizationCodeGrant(configuration, currentUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: state });
    } catch (error) {
      const code = oauthErrorCode(error);
      this.logger.warn(`Moodle OAuth code exchange failed for user ${pending.userId}: ${code ?? (error as Error).message}`);
      throw new FerryError(ErrorCode.OauthGrantFailed, 'Moodle did not hand out tokens for this sign-in. Try again.', { oauthError: code });
    }
    const expiresIn = tokens.expiresIn();
    await this.connections.connectWithOauthTokens(pending, {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt: expiresIn !== undefined ? new Date(Date.now() + expiresIn * 1000) : null,
      scope: tokens.scope ?? null,
    });
  }
}
