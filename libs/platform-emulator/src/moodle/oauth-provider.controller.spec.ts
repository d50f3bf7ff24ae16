import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformEmulator } from '../platform-emulator.types';
import { startPlatformEmulator } from '../start-platform-emulator';
import { DEMO_OAUTH_CLIENT } from './moodle-site';

const TOOL = { loginUrl: 'http://tool.example/lti/login', launchUrl: 'http://tool.example/lti/launch', jwksUrl: 'http://tool.example/jwks' };
const REDIRECT_URI = 'https://ferry.example/api/moodle-oauth/callback';
const OTHER_CLIENT = { clientId: 'other', clientSecret: 'other-secret', redirectUris: ['https://other.example/cb'] };

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('emulated local_oauthmcp OAuth 2 provider', () => {
  let sut: RunningPlatformEmulator;

  beforeAll(async () => {
    sut = await startPlatformEmulator({
      port: 0,
      tool: TOOL,
      moodle: { oauthClients: [{ ...DEMO_OAUTH_CLIENT, redirectUris: [REDIRECT_URI] }, OTHER_CLIENT] },
    });
  });
  afterAll(async () => {
    await sut?.stop();
  });

  async function logIn(username: string): Promise<string> {
    const response = await fetch(sut.loginUrl(username), { redirect: 'manual' });
    return response.headers.getSetCookie().find((value) => value.startsWith('MoodleSession='))!.split(';')[0];
  }

  function authorizeUrl(overrides: Record<string, string | undefined> = {}, challenge = pkce().challenge): string {
    const params = Object.entries({
      response_type: 'code',
      client_id: DEMO_OAUTH_CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'webservice',
      state: 'state-42',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined);
    return `${sut.moodle.oauth.authorizeUrl}?${new URLSearchParams(params)}`;
  }

  /** The consent page's hidden fields plus the button pressed, posted back like the browser would. */
  async function decide(cookie: string, url: string, decision: 'allow' | 'deny'): Promise<URL> {
    const page = await fetch(url, { headers: { cookie } });
    const html = await page.text();
    expect(html).toContain('id="oauth-allow"');
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]): [string, string] => [name, value.replace(/&amp;/g, '&')]);
    const response = await fetch(sut.moodle.oauth.authorizeUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...fields, ['decision', decision]]),
    });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  async function tokenRequest(form: Record<string, string>, authorization: string | null = basic(DEMO_OAUTH_CLIENT.clientId, DEMO_OAUTH_CLIENT.clientSecret)) {
    const response = await fetch(sut.moodle.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams(form),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  async function authorizedCode(username = 'admin') {
    const { verifier, challenge } = pkce();
    const redirect = await decide(await logIn(username), authorizeUrl({}, challenge), 'allow');
    return { code: redirect.searchParams.get('code')!, verifier, redirect };
  }

  async function siteInfo(token: string) {
    const response = await fetch(sut.moodle.wsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wstoken: token, wsfunction: 'core_webservice_get_site_info', moodlewsrestformat: 'json' }),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  it('publishes RFC 8414 metadata with the site URL as issuer', async () => {
    const response = await fetch(sut.moodle.oauth.metadataUrl);
    await expect(response.json()).resolves.toMatchObject({
      issuer: sut.url,
      authorization_endpoint: `${sut.url}/local/oauthmcp/authorize.php`,
      token_endpoint: `${sut.url}/local/oauthmcp/token.php`,
      revocation_endpoint: `${sut.url}/local/oauthmcp/revoke.php`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });

  it('sends a visitor without a Moodle session to the login page and back', async () => {
    const response = await fetch(authorizeUrl(), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const wantsUrl = new URL(response.headers.get('location')!, sut.url).searchParams.get('wantsurl')!;
    expect(wantsUrl).toMatch(/^\/local\/oauthmcp\/authorize\.php\?/);

    const login = await fetch(`${sut.url}/login/index.php`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: 'password', wantsurl: wantsUrl }),
    });
    expect(login.headers.get('location')).toBe(wantsUrl);
  });

  it('runs the code flow with PKCE: the access token is a web service token of the consenting user', async () => {
    const { code, verifier, redirect } = await authorizedCode('teacher1');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('state-42');

    const { status, headers, body } = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({ access_token: expect.stringMatching(/^[a-f0-9]{32}$/), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String), scope: 'webservice' });
    await expect(siteInfo(String(body.access_token))).resolves.toMatchObject({ userid: 4, username: 'teacher1' });
    const [file] = sut.moodle.files();
    expect((await fetch(`${file.fileurl}&token=${String(body.access_token)}`)).status).toBe(200);
  });

  it('accepts client_secret_post too', async () => {
    const { code, verifier } = await authorizedCode();
    const { status } = await tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: DEMO_OAUTH_CLIENT.clientId, client_secret: DEMO_OAUTH_CLIENT.clientSecret },
      null,
    );
    expect(status).toBe(200);
  });

  it('refuses a wrong code_verifier with invalid_grant', async () => {
    const { code } = await authorizedCode();
    const { status, body } = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce().verifier });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('refuses a code used twice and revokes what the first use gave', async () => {
    const { code, verifier } = await authorizedCode();
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    const first = await tokenRequest(form);

    const second = await tokenRequest(form);

    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await expect(siteInfo(String(first.body.access_token))).resolves.toMatchObject({ errorcode: 'invalidtoken' });
  });

  it('rotates refresh tokens; an old one is refused and revokes its family', async () => {
    const { code, verifier } = await authorizedCode();
    const first = (await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier })).body;
    const grantsBefore = sut.moodle.counts.tokenGrants('refresh_token');

    const second = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(sut.moodle.counts.tokenGrants('refresh_token')).toBe(grantsBefore + 1);

    const replay = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const afterReplay = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(second.body.refresh_token) });
    expect(afterReplay.body.error).toBe('invalid_grant');
    await expect(siteInfo(String(second.body.access_token))).resolves.toMatchObject({ errorcode: 'invalidtoken' });
  });

  it('revokes a refresh token (RFC 7009) with its access tokens; unknown tokens are fine', async () => {
    const { code, verifier } = await authorizedCode();
    const tokens = (await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier })).body;
    const revoke = (token: string) =>
      fetch(sut.moodle.oauth.revokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(DEMO_OAUTH_CLIENT.clientId, DEMO_OAUTH_CLIENT.clientSecret) },
        body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
      });

    expect((await revoke(String(tokens.refresh_token))).status).toBe(200);
    expect((await revoke('never-issued')).status).toBe(200);
    await expect(siteInfo(String(tokens.access_token))).resolves.toMatchObject({ errorcode: 'invalidtoken' });
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('expired access tokens get invalidtoken from web services while the refresh token still works', async () => {
    const { code, verifier } = await authorizedCode();
    const tokens = (await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier })).body;

    sut.moodle.expireAccessTokens();

    await expect(siteInfo(String(tokens.access_token))).resolves.toMatchObject({ exception: 'moodle_exception', errorcode: 'invalidtoken' });
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(refreshed.status).toBe(200);
    await expect(siteInfo(String(refreshed.body.access_token))).resolves.toMatchObject({ username: 'admin' });
  });

  it('answers a wrong client secret with 401 invalid_client and WWW-Authenticate', async () => {
    const { code, verifier } = await authorizedCode();
    const { status, headers, body } = await tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
      basic(DEMO_OAUTH_CLIENT.clientId, 'wrong'),
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('answers an unknown grant type and a missing parameter per RFC 6749', async () => {
    await expect(tokenRequest({ grant_type: 'password', username: 'admin', password: 'password' })).resolves.toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    await expect(tokenRequest({ grant_type: 'authorization_code', code: 'x' })).resolves.toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('shows an error instead of redirecting to an unregistered redirect_uri', async () => {
    const response = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), { headers: { cookie: await logIn('admin') }, redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    await expect(response.text()).resolves.toContain('Invalid redirect URI');
  });

  it('requires PKCE S256, answering the client at its redirect_uri', async () => {
    const cookie = await logIn('admin');
    for (const overrides of [{ code_challenge: undefined }, { code_challenge_method: 'plain' }]) {
      const response = await fetch(authorizeUrl(overrides), { headers: { cookie }, redirect: 'manual' });
      const location = new URL(response.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('state-42');
    }
  });

  it('answers Deny with access_denied and the state', async () => {
    const redirect = await decide(await logIn('admin'), authorizeUrl(), 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('state-42');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it("by default registers DEMO_OAUTH_CLIENT with Ferry’s callback beside the tool’s launch URL", async () => {
    const plain = await startPlatformEmulator({ port: 0, tool: TOOL });
    try {
      const cookie = (await fetch(plain.loginUrl('admin'), { redirect: 'manual' })).headers.getSetCookie()[0].split(';')[0];
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: DEMO_OAUTH_CLIENT.clientId,
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      });
      const page = (redirectUri: string) => fetch(`${plain.moodle.oauth.authorizeUrl}?${query}&redirect_uri=${encodeURIComponent(redirectUri)}`, { headers: { cookie } });

      expect((await page('http://tool.example/api/moodle-oauth/callback')).status).toBe(200);
      expect((await page('http://tool.example/other')).status).toBe(400);
    } finally {
      await plain.stop();
    }
  });

  it('refuses a code redeemed by another client', async () => {
    const { code, verifier } = await authorizedCode();
    const { body } = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, basic(OTHER_CLIENT.clientId, OTHER_CLIENT.clientSecret));
    expect(body.error).toBe('invalid_grant');
  });
});
