import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError } from '@ferry/errors';
import { PlatformsService } from '@ferry/platforms';
import { LtiStateStore, stateCookieName } from '../lti-state.store';
import { isOnOrigin } from '../origin';

/** The OIDC third-party initiated login request (LTI 1.3 core §5.1.1), as Moodle sends it. */
export interface LoginInitiation {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
  lti_storage_target?: string;
}

export interface LoginRedirect {
  /** The platform's authorization endpoint with the OIDC authentication request. */
  url: string;
  stateCookie: { name: string; value: string; maxAgeSeconds: number };
}

const REQUIRED = ['iss', 'login_hint', 'target_link_uri'] as const;
const OPTIONAL = ['lti_message_hint', 'client_id', 'lti_deployment_id', 'lti_storage_target'] as const;

/** Reads the login parameters from a query string or form body; anything malformed → login_invalid. */
export function parseLoginInitiation(params: Record<string, unknown>): LoginInitiation {
  const invalid = (message: string) =>
    new FerryError(
      ErrorCode.LoginInvalid,
      message,
      undefined,
      'Start the launch from Moodle; check the tool’s "Initiate login URL" is PUBLIC_URL/lti/login.',
    );
  const read = (name: string): string | undefined => {
    const value = params[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw invalid(`The login parameter ${name} must be given once, as text.`);
    return value;
  };
  const missing = REQUIRED.filter((name) => read(name) === undefined);
  if (missing.length > 0) throw invalid(`The login request lacks ${missing.join(', ')}.`);
  const login = Object.fromEntries(REQUIRED.map((name) => [name, read(name)])) as unknown as LoginInitiation;
  for (const name of OPTIONAL) {
    const value = read(name);
    if (value !== undefined) login[name] = value;
  }
  return login;
}

/**
 * Step one of a launch: remember a fresh state + nonce for the platform and send the browser to the
 * platform's authorization endpoint.
 */
@Injectable()
export class OidcLoginService {
  constructor(
    private readonly config: FerryConfig,
    private readonly platforms: PlatformsService,
    private readonly states: LtiStateStore,
  ) {}

  async startLogin(login: LoginInitiation): Promise<LoginRedirect> {
    const platform = await this.platforms.findForLogin(login.iss, login.client_id);
    if (!platform) {
      throw new FerryError(
        ErrorCode.UnknownPlatform,
        'Ferry does not know the platform that started this launch.',
        { issuer: login.iss, clientId: login.client_id ?? null },
        'Register this Moodle in Ferry with exactly its platform ID (issuer) and the client ID Moodle shows in the tool configuration.',
      );
    }
    if (platform.status !== 'active') {
      throw new FerryError(
        ErrorCode.PlatformInactive,
        'Ferry is switched off for this platform.',
        { platformId: platform.id },
        'A Ferry operator deactivated this platform; ask them to reactivate it.',
      );
    }

    if (!isOnOrigin(login.target_link_uri, this.config.publicOrigin)) {
      throw new FerryError(
        ErrorCode.TargetLinkUriInvalid,
        'The launch asks for a page that is not part of Ferry.',
        { targetLinkUri: login.target_link_uri },
        `The tool URL in Moodle must start with ${this.config.publicUrl} (use ${this.config.publicUrl}/lti/launch).`,
      );
    }

    // 256 bits each: unguessable, and URL- and cookie-safe.
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(32).toString('base64url');
    await this.states.saveState(state, {
      platformId: platform.id,
      nonce,
      targetLinkUri: login.target_link_uri,
      createdAt: Date.now(),
    });

    const url = new URL(platform.authLoginUrl);
    const authRequest: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: `${this.config.publicUrl}/lti/launch`,
      login_hint: login.login_hint,
      state,
      nonce,
    };
    // Moodle keeps lti_message_hint (JSON) in its session and accepts it once: pass it on untouched.
    if (login.lti_message_hint !== undefined) authRequest.lti_message_hint = login.lti_message_hint;
    for (const [name, value] of Object.entries(authRequest)) url.searchParams.set(name, value);

    return {
      url: url.toString(),
      stateCookie: { name: stateCookieName(state), value: state, maxAgeSeconds: this.config.lti.stateTtlSeconds },
    };
  }
}
