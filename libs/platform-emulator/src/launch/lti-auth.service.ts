import { Injectable } from '@nestjs/common';
import { PlatformEmulator } from '../platform-emulator';
import type { MoodleSession } from '../sessions/moodle-sessions';
import { renderAuthForm } from './lti-forms';

export type AuthParams = Partial<Record<string, string>>;

export type AuthOutcome =
  /** An auto-submitting form to the redirect URI: the id_token, or Moodle's `error` (+ description). */
  | { kind: 'form'; html: string; fields: Record<string, string> }
  /** Moodle throws `invalidrequest` when it cannot trust the redirect URI: an error page, nothing posted. */
  | { kind: 'error-page'; message: string };

/**
 * Moodle's mod/lti/auth.php (4.1+): the OIDC authentication request of an LTI 1.3 launch.
 * The order of the checks matters, because it decides where a failure goes: before the launch in
 * the session is read, Moodle knows no tool to trust a redirect URI for, so it shows an error page;
 * after that, it form-posts `error` and `state` to the (registered) redirect URI.
 */
@Injectable()
export class LtiAuthService {
  constructor(private readonly emulator: PlatformEmulator) {}

  async authorize(params: AuthParams, session: MoodleSession | undefined): Promise<AuthOutcome> {
    const value = (name: string) => params[name] ?? '';
    const [scope, responseType, clientId, redirectUri, loginHint, nonce] = [
      'scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'nonce',
    ].map(value);

    let error: string | undefined;
    let description: string | undefined;
    if (!scope || !responseType || !clientId || !redirectUri || !loginHint || !nonce) error = 'invalid_request';
    const launchId = error ? undefined : parseLaunchId(value('lti_message_hint'));
    if (!error && !launchId) {
      error = 'invalid_request';
      description = 'No launch id in LTI hint';
    }
    if (!error && scope !== 'openid') error = 'invalid_scope';
    if (!error && responseType !== 'id_token') error = 'unsupported_response_type';
    if (error) return { kind: 'error-page', message: `Invalid request: ${description ?? error}` };

    const launch = this.emulator.sessions.takeLaunch(session, launchId!);
    if (!launch || !session) {
      return { kind: 'error-page', message: 'Invalid request: no such launch in this session (lti_message_hint is single-use)' };
    }
    if (clientId !== this.emulator.settings.clientId) error = 'unauthorized_client';
    if (!error && loginHint !== session.userId) error = 'access_denied';
    if (!this.emulator.redirectUris.includes(redirectUri.trim())) {
      return { kind: 'error-page', message: `Invalid request: unregistered redirect_uri ${redirectUri}` };
    }
    if (!error && value('response_mode') !== 'form_post') {
      error = 'invalid_request';
      description = 'Invalid response_mode';
    }
    if (!error && value('prompt') && value('prompt') !== 'none') {
      error = 'invalid_request';
      description = 'Invalid prompt';
    }

    const fields: Record<string, string> = {};
    if (error) {
      fields.error = error;
      if (description) fields.error_description = description;
    } else {
      const activity = launch.cmid === undefined ? undefined : this.emulator.findActivity(launch.cmid);
      const claims = this.emulator.buildLaunchClaims({
        user: session.userId,
        nonce,
        activity,
        messageType: launch.messageType,
        deploymentId: launch.deploymentId,
        sesskey: session.sesskey,
        deepLinking: { title: launch.title ?? '', text: launch.text ?? '' },
      });
      fields.id_token = await this.emulator.signIdToken(claims);
    }
    fields.state = value('state');
    return { kind: 'form', html: renderAuthForm(redirectUri, Object.entries(fields)), fields };
  }
}

function parseLaunchId(hint: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(hint);
    const launchId = (parsed as { launchid?: unknown } | null)?.launchid;
    return typeof launchId === 'string' && launchId ? launchId : undefined;
  } catch {
    return undefined;
  }
}
