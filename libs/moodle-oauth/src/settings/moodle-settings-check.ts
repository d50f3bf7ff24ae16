import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import * as oauth from 'openid-client';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError } from '@ferry/errors';
import { defaultMoodleWsOptions, MoodleWsClient, MoodleWsError, requestLoginToken } from '@ferry/moodle-ws';
import { oauthConfiguration, oauthErrorCode, type OauthClient, type OauthEndpoints } from '../oauth/oauth-endpoints';
import type { MoodleConnectionMethod } from './platform-moodle-settings.entity';

/** The part of the settings a failed check blames, as the setup form names its fields. */
export type SettingsPart = 'moodleUrl' | 'authorizeUrl' | 'tokenUrl' | 'clientId' | 'service';

export interface SettingsToCheck {
  moodleUrl: string;
  method: MoodleConnectionMethod;
  service: string | null;
  oauth: { endpoints: OauthEndpoints; client: OauthClient } | null;
}

/** 422: the settings are well-formed but Moodle says they do not work. Nothing is saved. */
export function settingsCheckFailed(code: ErrorCode, message: string, part: SettingsPart, details: Record<string, unknown> = {}, hint?: string): FerryError {
  return new FerryError(code, message, { part, ...details }, hint, 422);
}

const CHECK_TIMEOUT_MS = 15_000;
const randomValue = () => randomBytes(16).toString('hex');

/**
 * Proves a platform's Moodle settings with live round trips before they are saved: the web service
 * endpoint answers like Moodle (a made-up token is refused as invalid), and for OAuth the token
 * endpoint refuses a made-up code the way an OAuth server does, which also shows whether it accepts
 * the client id and secret. Each failure names the part to fix.
 */
@Injectable()
export class MoodleSettingsCheck {
  constructor(private readonly config: FerryConfig) {}

  async check(settings: SettingsToCheck): Promise<void> {
    await this.checkWebServices(settings.moodleUrl);
    if (settings.method === 'credentials') await this.checkLoginTokenEndpoint(settings.moodleUrl, settings.service ?? 'moodle_mobile_app');
    if (settings.method === 'oauth' && settings.oauth) {
      await this.checkTokenEndpoint(settings.oauth.endpoints, settings.oauth.client);
      await this.checkAuthorizeEndpoint(settings.oauth.endpoints.authorizeUrl);
    }
  }

  private async checkWebServices(moodleUrl: string): Promise<void> {
    const client = new MoodleWsClient(
      { moodleUrl, token: randomValue() },
      { ...defaultMoodleWsOptions, maxAttempts: 1, readTimeoutMs: CHECK_TIMEOUT_MS },
    );
    try {
      await client.getSiteInfo();
    } catch (error) {
      if (error instanceof MoodleWsError && error.code === ErrorCode.MoodleTokenInvalid) return;
      if (error instanceof MoodleWsError && [ErrorCode.MoodleWsDisabled, ErrorCode.MoodleMaintenance, ErrorCode.MoodleUnreachable].includes(error.code)) {
        throw settingsCheckFailed(error.code, error.message, 'moodleUrl', error.details as Record<string, unknown>, error.hint);
      }
      throw settingsCheckFailed(
        ErrorCode.MoodleUnreachable,
        'The address answers, but not like Moodle’s web services.',
        'moodleUrl',
        { cause: error instanceof FerryError ? error.code : 'unexpected_answer' },
        'Use Moodle’s site URL (its wwwroot), for example https://moodle.example.edu.',
      );
    }
    // A made-up token that works means this is not a Moodle we can trust with anyone's token.
    throw settingsCheckFailed(ErrorCode.MoodleUnreachable, 'The web service endpoint accepted a made-up token.', 'moodleUrl');
  }

  private async checkLoginTokenEndpoint(moodleUrl: string, service: string): Promise<void> {
    try {
      await requestLoginToken(moodleUrl, { username: `ferry-check-${randomValue()}`, password: randomValue(), service }, CHECK_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof MoodleWsError && error.code === ErrorCode.MoodleLoginFailed) return;
      if (error instanceof MoodleWsError) throw settingsCheckFailed(error.code, error.message, 'moodleUrl', error.details as Record<string, unknown>, error.hint);
      throw error;
    }
    throw settingsCheckFailed(ErrorCode.MoodleUnreachable, 'login/token.php accepted a made-up account.', 'moodleUrl');
  }

  private async checkTokenEndpoint(endpoints: OauthEndpoints, client: OauthClient): Promise<void> {
    const configuration = oauthConfiguration(endpoints, client, this.config.allowInsecurePlatformUrls);
    try {
      await oauth.genericGrantRequest(configuration, 'authorization_code', {
        code: randomValue(),
        redirect_uri: this.redirectUri,
        code_verifier: oauth.randomPKCECodeVerifier(),
      });
    } catch (error) {
      const code = oauthErrorCode(error);
      if (code === 'invalid_grant') return;
      if (code === 'invalid_client' || code === 'unauthorized_client') {
        throw settingsCheckFailed(
          ErrorCode.OauthClientRejected,
          'Moodle’s OAuth server does not accept this client id and secret.',
          'clientId',
          { oauthError: code },
          'Copy the client id and secret again from the OAuth client registered for Ferry in Moodle.',
        );
      }
      throw settingsCheckFailed(
        ErrorCode.OauthEndpointInvalid,
        code ? `The token endpoint refused the check with ${code}.` : 'The token endpoint does not answer like an OAuth 2 server.',
        'tokenUrl',
        { oauthError: code },
        'Check the token URL of the OAuth provider plugin.',
      );
    }
    throw settingsCheckFailed(ErrorCode.OauthEndpointInvalid, 'The token endpoint accepted a made-up code.', 'tokenUrl');
  }

  /** The authorize page needs a signed-in person, so all a check can tell is that it exists. */
  private async checkAuthorizeEndpoint(authorizeUrl: string): Promise<void> {
    let status: number;
    try {
      const response = await fetch(authorizeUrl, { redirect: 'manual', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      status = response.status;
      await response.body?.cancel();
    } catch {
      throw settingsCheckFailed(ErrorCode.OauthEndpointInvalid, 'The authorize URL does not answer.', 'authorizeUrl');
    }
    if (status === 404 || status === 410 || status >= 500) {
      throw settingsCheckFailed(ErrorCode.OauthEndpointInvalid, `The authorize URL answered HTTP ${status}.`, 'authorizeUrl', { httpStatus: status });
    }
  }

  get redirectUri(): string {
    return moodleOauthRedirectUri(this.config);
  }
}

/** The one redirect URI Ferry registers with every Moodle OAuth client. */
export function moodleOauthRedirectUri(config: FerryConfig): string {
  return `${config.publicUrl.replace(/\/+$/, '')}/api/moodle-oauth/callback`;
}
