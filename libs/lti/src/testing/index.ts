/**
 * Test helpers for driving an LTI 1.3 launch against a running Ferry over HTTP: login → (platform)
 * signed id_token → launch → session. For integration, end-to-end and benchmark code only; this
 * folder is left out of the production build.
 */

/** What a launch needs from a platform; the platform emulator (@ferry/platform-emulator) fits. */
export interface LaunchingPlatform<TUser = unknown> {
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  buildLaunchClaims(options: {
    user: TUser;
    nonce: string;
    messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
    deploymentId?: string;
    audience?: string | string[];
  }): Record<string, unknown>;
  signIdToken(
    payload: Record<string, unknown>,
    options?: { kid?: string | null; key?: 'platform' | 'unpublished'; alg?: 'RS256' | 'HS256' | 'none' },
  ): Promise<string>;
}

export interface LtiLoginParams {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
  lti_storage_target?: string;
}

export interface LtiLogin {
  response: Response;
  /** The redirect to the platform's auth endpoint (null when the login failed). */
  location: URL | null;
  state: string;
  nonce: string;
  /** The state cookie as a `Cookie` header value (`name=value`), or null. */
  cookie: string | null;
  /** Raw Set-Cookie headers. */
  setCookies: string[];
}

/** Step 1: the platform's login initiation (form POST by default, as Moodle does). */
export async function startLtiLogin(ferryUrl: string, params: LtiLoginParams, method: 'GET' | 'POST' = 'POST'): Promise<LtiLogin> {
  const body = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined) as Array<[string, string]>);
  const response =
    method === 'POST'
      ? await fetch(`${ferryUrl}/lti/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
        })
      : await fetch(`${ferryUrl}/lti/login?${body}`, { redirect: 'manual', headers: { accept: 'application/json' } });
  const header = response.headers.get('location');
  const location = header ? new URL(header) : null;
  const setCookies = response.headers.getSetCookie();
  const stateCookie = setCookies.find((cookie) => cookie.startsWith('ferry_lti_state_'));
  return {
    response,
    location,
    state: location?.searchParams.get('state') ?? '',
    nonce: location?.searchParams.get('nonce') ?? '',
    cookie: stateCookie ? stateCookie.split(';')[0] : null,
    setCookies,
  };
}

export interface PostLaunchOptions {
  idToken?: string;
  state?: string;
  /** `Cookie` header to send (e.g. LtiLogin.cookie); none by default, as with third-party cookies blocked. */
  cookie?: string | null;
  accept?: string;
  /** Extra form fields (e.g. `error`, `error_description`). */
  fields?: Record<string, string>;
}

/** Step 3: the platform's form post of the id_token to Ferry. */
export async function postLtiLaunch(ferryUrl: string, options: PostLaunchOptions): Promise<Response> {
  const form = new URLSearchParams(options.fields ?? {});
  if (options.idToken !== undefined) form.set('id_token', options.idToken);
  if (options.state !== undefined) form.set('state', options.state);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: options.accept ?? 'application/json',
  };
  if (options.cookie) headers.cookie = options.cookie;
  return fetch(`${ferryUrl}/lti/launch`, { method: 'POST', redirect: 'manual', headers, body: form });
}

/** The one-time code from a successful launch's 303 Location (`…/app/launch#code=…`), or null. */
export function launchCodeFrom(response: Response): string | null {
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) return null;
  return new URL(location).hash.match(/^#code=(.+)$/)?.[1] ?? null;
}

export interface LaunchThroughPlatformOptions<TUser> {
  ferryUrl: string;
  platform: LaunchingPlatform<TUser>;
  user: TUser;
  /** `sub` of the user, sent as login_hint. Defaults to the claims' sub. */
  loginHint?: string;
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  deploymentId?: string;
  /** Change the platform's claims in place before signing (add, remove or break a claim). */
  editClaims?: (claims: Record<string, unknown>) => unknown;
  signing?: Parameters<LaunchingPlatform['signIdToken']>[1];
  /** Send the state cookie back (default true); false behaves like a browser blocking third-party cookies. */
  sendCookie?: boolean;
  accept?: string;
}

export interface LaunchThroughPlatformResult {
  login: LtiLogin;
  idToken: string;
  claims: Record<string, unknown>;
  response: Response;
  /** The one-time launch code, or null when the launch failed. */
  code: string | null;
}

/** A whole launch: login at Ferry, the platform signs an id_token for the login's nonce, launch. */
export async function launchThroughPlatform<TUser>(options: LaunchThroughPlatformOptions<TUser>): Promise<LaunchThroughPlatformResult> {
  const { ferryUrl, platform } = options;
  const deploymentId = options.deploymentId ?? platform.deploymentIds[0];
  const probe = platform.buildLaunchClaims({ user: options.user, nonce: 'probe', deploymentId });
  const login = await startLtiLogin(ferryUrl, {
    iss: platform.issuer,
    login_hint: options.loginHint ?? String(probe.sub ?? 'user'),
    target_link_uri: `${ferryUrl}/lti/launch`,
    lti_message_hint: JSON.stringify({ cmid: 1, launchid: `ltilaunch_${Date.now()}` }),
    client_id: platform.clientId,
    lti_deployment_id: deploymentId,
  });
  if (login.response.status !== 302) {
    throw new Error(`Ferry answered the login with ${login.response.status}: ${await login.response.text()}`);
  }
  const claims = platform.buildLaunchClaims({
    user: options.user,
    nonce: login.nonce,
    deploymentId,
    ...(options.messageType ? { messageType: options.messageType } : {}),
  });
  options.editClaims?.(claims);
  const idToken = await platform.signIdToken(claims, options.signing);
  const response = await postLtiLaunch(ferryUrl, {
    idToken,
    state: login.state,
    cookie: options.sendCookie === false ? null : login.cookie,
    accept: options.accept,
  });
  return { login, idToken, claims, response, code: launchCodeFrom(response) };
}

/** Step 4: the SPA trades the code for a session. */
export async function redeemLaunchCode(ferryUrl: string, code: string): Promise<Response> {
  return fetch(`${ferryUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ code }),
  });
}

export { startLtiTestApp } from './lti-test-app';
export type { LtiTestApp } from './lti-test-app';
