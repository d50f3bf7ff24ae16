import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ferry/errors';
import { DEMO_OAUTH_CLIENT, DEMO_PASSWORD, startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { freePort } from '../../transfers/src/testing/transfers-test-app';
import { CookieJar, startMoodleOauthTestApp, type MoodleOauthTestApp } from './testing/moodle-oauth-test-app';

let emulator: RunningPlatformEmulator;
let ferry: MoodleOauthTestApp;

beforeAll(async () => {
  const port = await freePort();
  emulator = await startPlatformEmulator({
    port: 0,
    tool: { loginUrl: `http://127.0.0.1:${port}/lti/login`, launchUrl: `http://127.0.0.1:${port}/lti/launch`, jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` },
    moodle: { oauthClients: [{ ...DEMO_OAUTH_CLIENT, redirectUris: [`http://127.0.0.1:${port}/api/moodle-oauth/callback`] }] },
  });
  ferry = await startMoodleOauthTestApp(port);
});

afterAll(async () => {
  await ferry?.close();
  await emulator?.stop();
});

interface Admin {
  platformId: string;
  userId: string;
  bearer: string;
}

/** A platform whose issuer is the emulated Moodle, and a Ferry user for one of its Moodle users (sub = Moodle user id). */
async function newPlatform(sub = '2', roles: Array<'admin' | 'instructor' | 'learner'> = ['admin']): Promise<Admin> {
  const [platform] = await ferry.dataSource.query(
    `INSERT INTO platforms (name, issuer, client_id, auth_login_url, access_token_url, jwks_url)
     VALUES ('Emulated Moodle', $1, $2, $1 || '/mod/lti/auth.php', $1 || '/mod/lti/token.php', $1 || '/mod/lti/certs.php') RETURNING id`,
    [emulator.url, randomUUID()],
  );
  return userOn(platform.id, sub, roles);
}

async function userOn(platformId: string, sub: string, roles: Array<'admin' | 'instructor' | 'learner'> = ['admin']): Promise<Admin> {
  const [user] = await ferry.dataSource.query(`INSERT INTO users (platform_id, sub, last_roles) VALUES ($1, $2, '{admin}') RETURNING id`, [platformId, sub]);
  const owner = { platformId, userId: user.id as string };
  return { ...owner, bearer: await ferry.sessionFor(owner, roles) };
}

async function api(admin: { bearer: string } | string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const bearer = typeof admin === 'string' ? admin : admin.bearer;
  const response = await fetch(`${ferry.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const oauthSettings = (overrides: Record<string, unknown> = {}) => ({
  moodleUrl: emulator.url,
  method: 'oauth',
  oauth: {
    provider: 'local_oauthmcp',
    clientId: DEMO_OAUTH_CLIENT.clientId,
    clientSecret: DEMO_OAUTH_CLIENT.clientSecret,
    authorizeUrl: emulator.moodle.oauth.authorizeUrl,
    tokenUrl: emulator.moodle.oauth.tokenUrl,
    revokeUrl: emulator.moodle.oauth.revokeUrl,
    scope: 'webservice',
    ...overrides,
  },
});

async function configuredPlatform(sub = '2'): Promise<Admin> {
  const admin = await newPlatform(sub);
  const saved = await api(admin, 'PUT', '/api/platform/moodle-settings', oauthSettings());
  expect(saved.status).toBe(200);
  return admin;
}

/** A Moodle user signs in to Moodle and answers its consent page; resolves to where Moodle sends the browser back. */
async function decideAtMoodle(authorizeUrl: string, moodleUser: string, decision: string): Promise<string> {
  const moodleBrowser = new CookieJar();
  await moodleBrowser.fetch(emulator.loginUrl(moodleUser));
  const html = await (await moodleBrowser.fetch(authorizeUrl)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name, value.replace(/&amp;/g, '&'));
  form.set('decision', decision);
  const back = await moodleBrowser.fetch(new URL('/local/oauthmcp/authorize.php', emulator.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return back.headers.get('location')!;
}

/** The popup's whole journey: Ferry's one-time URL → Moodle sign-in and consent → Ferry's callback page. */
async function connectThroughPopup(admin: Admin, { moodleUser = 'admin', decision = 'allow', browser = new CookieJar() } = {}) {
  const { body } = await api(admin, 'POST', '/api/moodle-oauth/start');
  const toMoodle = await browser.fetch(body.url);
  expect(toMoodle.status).toBe(302);
  const authorizeUrl = toMoodle.headers.get('location')!;

  const callbackUrl = await decideAtMoodle(authorizeUrl, moodleUser, decision);
  expect(callbackUrl.startsWith(`${ferry.url}/api/moodle-oauth/callback?`)).toBe(true);
  const callback = await browser.fetch(callbackUrl);
  return { callback, page: await callback.text(), callbackUrl, ticketUrl: body.url as string, browser, authorizeUrl };
}

const outcomeOf = (page: string) => JSON.parse(/<script[^>]*id="outcome"[^>]*>([^<]*)<\/script>/.exec(page)![1]).outcome;

describe('platform Moodle settings', () => {
  it('starts unconfigured, suggesting the issuer and the known plugins’ endpoints', async () => {
    const admin = await newPlatform();
    const settings = await api(admin, 'GET', '/api/platform/moodle-settings');
    expect(settings.body).toMatchObject({
      configured: false,
      method: null,
      suggestions: { moodleUrl: emulator.url, providers: { local_oauthmcp: { tokenUrl: emulator.moodle.oauth.tokenUrl, scope: 'webservice' } } },
    });
    const connection = await api(admin, 'GET', '/api/moodle-connection');
    expect(connection.body).toEqual({
      configured: false, method: null, moodleUrl: null, connected: false, moodleUser: null, missingFunctions: [], needsReconnect: false, methods: [],
    });
  });

  it('saves OAuth settings after a live check and never returns or stores the client secret in the clear', async () => {
    const admin = await newPlatform();
    const saved = await api(admin, 'PUT', '/api/platform/moodle-settings', oauthSettings());
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configured: true, method: 'oauth', oauth: { clientId: 'ferry', clientSecretSet: true, tokenUrl: emulator.moodle.oauth.tokenUrl } });
    expect(JSON.stringify(saved.body)).not.toContain(DEMO_OAUTH_CLIENT.clientSecret);
    const [row] = await ferry.dataSource.query('SELECT oauth_client_secret FROM platform_moodle_settings WHERE platform_id = $1', [admin.platformId]);
    expect(row.oauth_client_secret).not.toContain(DEMO_OAUTH_CLIENT.clientSecret);
    const connection = await api(admin, 'GET', '/api/moodle-connection');
    expect(connection.body).toMatchObject({ configured: true, connected: false, methods: ['oauth', 'wstoken'] });
  });

  it('reads the endpoints from the provider’s RFC 8414 metadata when none are typed in', async () => {
    const admin = await newPlatform();
    const saved = await api(admin, 'PUT', '/api/platform/moodle-settings', {
      moodleUrl: emulator.url,
      method: 'oauth',
      oauth: { provider: 'custom', clientId: DEMO_OAUTH_CLIENT.clientId, clientSecret: DEMO_OAUTH_CLIENT.clientSecret },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.oauth).toMatchObject({ authorizeUrl: emulator.moodle.oauth.authorizeUrl, tokenUrl: emulator.moodle.oauth.tokenUrl, revokeUrl: emulator.moodle.oauth.revokeUrl });
  });

  it.each([
    ['a wrong client secret', () => oauthSettings({ clientSecret: 'not-the-secret' }), ErrorCode.OauthClientRejected, 'clientId'],
    ['a token URL that is not an OAuth server', () => oauthSettings({ tokenUrl: `${emulator.url}/login/token.php` }), ErrorCode.OauthEndpointInvalid, 'tokenUrl'],
    ['an authorize URL that does not exist', () => oauthSettings({ authorizeUrl: `${emulator.url}/local/nothing/authorize.php` }), ErrorCode.OauthEndpointInvalid, 'authorizeUrl'],
  ])('refuses %s with 422 naming the part, and saves nothing', async (_what, settings, code, part) => {
    const admin = await newPlatform();
    const body = settings();
    const refused = await api(admin, 'PUT', '/api/platform/moodle-settings', body);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code, details: { part } });
    expect((await api(admin, 'GET', '/api/platform/moodle-settings')).body.configured).toBe(false);
  });

  it('refuses a Moodle URL nobody answers at with moodle_unreachable', async () => {
    const admin = await newPlatform();
    const refused = await api(admin, 'PUT', '/api/platform/moodle-settings', { moodleUrl: `http://127.0.0.1:${await freePort()}`, method: 'wstoken' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: ErrorCode.MoodleUnreachable, details: { part: 'moodleUrl' } });
  });

  it('tells a Moodle with web services turned off apart', async () => {
    const admin = await newPlatform();
    emulator.moodle.fault({ kind: 'ws_disabled' });
    try {
      const refused = await api(admin, 'PUT', '/api/platform/moodle-settings', { moodleUrl: emulator.url, method: 'wstoken' });
      expect(refused.body.error).toMatchObject({ code: ErrorCode.MoodleWsDisabled, details: { part: 'moodleUrl' } });
    } finally {
      emulator.moodle.fault(null);
    }
  });

  it('answers per-field validation errors, and keeps the stored secret when none is sent', async () => {
    const admin = await configuredPlatform();
    const invalid = await api(admin, 'PUT', '/api/platform/moodle-settings', { moodleUrl: 'not a url', method: 'carrier-pigeon' });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.details.fields)).toEqual(expect.arrayContaining(['moodleUrl', 'method']));
    const { clientSecret: _omitted, ...withoutSecret } = oauthSettings().oauth;
    const kept = await api(admin, 'PUT', '/api/platform/moodle-settings', { ...oauthSettings(), oauth: withoutSecret });
    expect(kept.status).toBe(200);
  });

  it('is for the platform’s admins and the operator only, each admin on their own platform', async () => {
    const admin = await configuredPlatform();
    const learner = await userOn(admin.platformId, '3', ['learner']);
    expect((await api(learner, 'GET', '/api/platform/moodle-settings')).status).toBe(403);
    const operator = ferry.config.operator.token!;
    expect((await api(operator, 'GET', `/api/platforms/${admin.platformId}/moodle-settings`)).body.configured).toBe(true);
    const otherAdmin = await newPlatform();
    expect((await api(otherAdmin, 'GET', `/api/platforms/${admin.platformId}/moodle-settings`)).status).toBe(404);
    expect((await api(operator, 'PUT', `/api/platforms/${admin.platformId}/moodle-settings`, { moodleUrl: emulator.url, method: 'wstoken' })).status).toBe(200);
  });

  it('resets: settings and every admin’s token are gone', async () => {
    const admin = await configuredPlatform();
    await api(admin, 'POST', '/api/moodle-connection/token', { token: emulator.moodle.createToken('admin') });
    expect((await api(admin, 'DELETE', '/api/platform/moodle-settings')).status).toBe(204);
    expect((await api(admin, 'GET', '/api/moodle-connection')).body).toMatchObject({ configured: false, connected: false });
    const [{ count }] = await ferry.dataSource.query('SELECT count(*)::int AS count FROM moodle_tokens WHERE platform_id = $1', [admin.platformId]);
    expect(count).toBe(0);
  });
});

describe('connecting through OAuth 2 with PKCE in a popup', () => {
  it('connects the admin, and the one-time URL works once', async () => {
    const admin = await configuredPlatform();
    const { callback, page, ticketUrl } = await connectThroughPopup(admin);
    expect(callback.status).toBe(200);
    expect(outcomeOf(page)).toEqual({ type: 'ferry:moodle-oauth', ok: true });
    expect(callback.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    const connection = await api(admin, 'GET', '/api/moodle-connection');
    expect(connection.body).toMatchObject({ connected: true, method: 'oauth', moodleUser: { id: 2, username: 'admin' }, missingFunctions: [], needsReconnect: false });

    const again = await fetch(ticketUrl, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(outcomeOf(await again.text())).toMatchObject({ ok: false, error: { code: ErrorCode.OauthTicketInvalid } });
  });

  it('sends PKCE S256 and a state, with the exact redirect URI', async () => {
    const admin = await configuredPlatform();
    const browser = new CookieJar();
    const { body } = await api(admin, 'POST', '/api/moodle-oauth/start');
    const location = new URL((await browser.fetch(body.url)).headers.get('location')!);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('redirect_uri')).toBe(`${ferry.url}/api/moodle-oauth/callback`);
  });

  it('refuses a callback replayed, or brought to another browser, and stores nothing for it', async () => {
    const admin = await configuredPlatform();
    const first = await connectThroughPopup(admin);
    const replay = await new CookieJar().fetch(first.callbackUrl);
    expect(outcomeOf(await replay.text())).toMatchObject({ ok: false, error: { code: ErrorCode.OauthStateInvalid } });

    const victim = await configuredPlatform();
    // Someone else's browser finishes the victim's sign-in: the binding cookie is not there.
    const { body } = await api(victim, 'POST', '/api/moodle-oauth/start');
    const victimBrowser = new CookieJar();
    const authorizeUrl = (await victimBrowser.fetch(body.url)).headers.get('location')!;
    const callbackUrl = await decideAtMoodle(authorizeUrl, 'admin', 'allow');
    const stolen = await new CookieJar().fetch(callbackUrl);
    expect(outcomeOf(await stolen.text())).toMatchObject({ ok: false, error: { code: ErrorCode.OauthStateInvalid } });
    expect((await api(victim, 'GET', '/api/moodle-connection')).body.connected).toBe(false);
  });

  it('refuses to connect when the PKCE verifier does not match the challenge Moodle saw', async () => {
    const admin = await configuredPlatform();
    const browser = new CookieJar();
    const { body } = await api(admin, 'POST', '/api/moodle-oauth/start');
    const authorizeUrl = (await browser.fetch(body.url)).headers.get('location')!;
    const stateKey = `ferry:moodle-oauth:state:${new URL(authorizeUrl).searchParams.get('state')}`;
    const pending = JSON.parse((await ferry.redis.get(stateKey))!);
    await ferry.redis.set(stateKey, JSON.stringify({ ...pending, codeVerifier: 'a'.repeat(43) }), 'KEEPTTL');

    const callbackUrl = await decideAtMoodle(authorizeUrl, 'admin', 'allow');
    const callback = await browser.fetch(callbackUrl);
    expect(outcomeOf(await callback.text())).toMatchObject({ ok: false, error: { code: ErrorCode.OauthGrantFailed } });
    expect((await api(admin, 'GET', '/api/moodle-connection')).body.connected).toBe(false);
  });

  it('says so when the admin declines at Moodle', async () => {
    const admin = await configuredPlatform();
    const { page } = await connectThroughPopup(admin, { decision: 'deny' });
    expect(outcomeOf(page)).toMatchObject({ ok: false, error: { code: ErrorCode.OauthAccessDenied } });
  });

  it('refuses tokens of another Moodle user than the one who launched Ferry', async () => {
    const admin = await configuredPlatform();
    const { page } = await connectThroughPopup(admin, { moodleUser: 'teacher1' });
    expect(outcomeOf(page)).toMatchObject({ ok: false, error: { code: ErrorCode.TokenUserMismatch } });
    expect((await api(admin, 'GET', '/api/moodle-connection')).body.connected).toBe(false);
  });

  it('refreshes an access token about to expire, once, however many calls need it at the same time', async () => {
    const admin = await configuredPlatform();
    await connectThroughPopup(admin);
    await ferry.dataSource.query(`UPDATE moodle_tokens SET expires_at = now() WHERE user_id = $1`, [admin.userId]);
    const before = emulator.moodle.counts.tokenGrants('refresh_token');
    const owner = { platformId: admin.platformId, userId: admin.userId };
    const names = await Promise.all(Array.from({ length: 20 }, () => ferry.connections.withMoodle(owner, ({ client }) => client.getSiteInfo().then((info) => info.username))));
    expect(names).toEqual(Array(20).fill('admin'));
    expect(emulator.moodle.counts.tokenGrants('refresh_token') - before).toBe(1);
    const [row] = await ferry.dataSource.query(`SELECT expires_at > now() + interval '10 minutes' AS fresh FROM moodle_tokens WHERE user_id = $1`, [admin.userId]);
    expect(row.fresh).toBe(true);
  });

  it('does not refresh again for a caller that saw the old token expiring after another caller refreshed it', async () => {
    const admin = await configuredPlatform();
    await connectThroughPopup(admin);
    const owner = { platformId: admin.platformId, userId: admin.userId };
    const seenExpiring = await ferry.connections.withMoodle(owner, async ({ token }) => token);
    const before = emulator.moodle.counts.tokenGrants('refresh_token');
    const first = await ferry.connections.refreshNow(owner, seenExpiring);
    const late = await ferry.connections.refreshNow(owner, seenExpiring);
    expect(emulator.moodle.counts.tokenGrants('refresh_token') - before).toBe(1);
    expect(late.token).toBe(first.token);
    expect(first.token).not.toBe(seenExpiring);
  });

  it('keeps each rotated refresh token in place of the old one, so the next refresh works too', async () => {
    const admin = await configuredPlatform();
    await connectThroughPopup(admin);
    const owner = { platformId: admin.platformId, userId: admin.userId };
    const sealedRefreshToken = async () => (await ferry.dataSource.query(`SELECT refresh_token FROM moodle_tokens WHERE user_id = $1`, [admin.userId]))[0].refresh_token as string;
    const before = emulator.moodle.counts.tokenGrants('refresh_token');
    const seen = [await sealedRefreshToken()];
    for (let round = 0; round < 2; round += 1) {
      await ferry.dataSource.query(`UPDATE moodle_tokens SET expires_at = now() WHERE user_id = $1`, [admin.userId]);
      await expect(ferry.connections.withMoodle(owner, ({ client }) => client.getSiteInfo().then((info) => info.username))).resolves.toBe('admin');
      seen.push(await sealedRefreshToken());
    }
    expect(emulator.moodle.counts.tokenGrants('refresh_token') - before).toBe(2);
    expect(new Set(seen).size).toBe(3);
    expect((await api(admin, 'GET', '/api/moodle-connection')).body.needsReconnect).toBe(false);
  });

  it('refreshes when Moodle refuses an access token early, and goes on', async () => {
    const admin = await configuredPlatform();
    await connectThroughPopup(admin);
    emulator.moodle.expireAccessTokens();
    const owner = { platformId: admin.platformId, userId: admin.userId };
    await expect(ferry.connections.withMoodle(owner, ({ client }) => client.getSiteInfo().then((info) => info.userid))).resolves.toBe(2);
  });

  it('turns a grant Moodle revoked into a reconnect state, not a 500', async () => {
    const admin = await configuredPlatform();
    await connectThroughPopup(admin);
    emulator.moodle.revokeTokens('admin');
    const owner = { platformId: admin.platformId, userId: admin.userId };
    await expect(ferry.connections.withMoodle(owner, ({ client }) => client.getSiteInfo())).rejects.toMatchObject({ code: ErrorCode.MoodleTokenInvalid });
    expect((await api(admin, 'GET', '/api/moodle-connection')).body).toMatchObject({ connected: true, needsReconnect: true });
    await connectThroughPopup(admin);
    expect((await api(admin, 'GET', '/api/moodle-connection')).body).toMatchObject({ connected: true, needsReconnect: false });
  });

  it('disconnects: the tokens are revoked at Moodle and deleted', async () => {
    const admin = await configuredPlatform();
    await connectThroughPopup(admin);
    const owner = { platformId: admin.platformId, userId: admin.userId };
    const token = await ferry.connections.withMoodle(owner, async (session) => session.token);
    expect((await api(admin, 'DELETE', '/api/moodle-connection')).status).toBe(204);
    expect((await api(admin, 'GET', '/api/moodle-connection')).body.connected).toBe(false);
    const siteInfo = await fetch(emulator.moodle.wsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wstoken: token, wsfunction: 'core_webservice_get_site_info', moodlewsrestformat: 'json' }),
    });
    expect(await siteInfo.json()).toMatchObject({ errorcode: 'invalidtoken' });
  });
});

describe('connecting with a web service token or Moodle credentials', () => {
  it('takes the admin’s own pasted token, and refuses someone else’s or a made-up one', async () => {
    const admin = await configuredPlatform();
    const teachers = await api(admin, 'POST', '/api/moodle-connection/token', { token: emulator.moodle.createToken('teacher1') });
    expect(teachers.status).toBe(422);
    expect(teachers.body.error.code).toBe(ErrorCode.TokenUserMismatch);
    const madeUp = await api(admin, 'POST', '/api/moodle-connection/token', { token: 'f'.repeat(32) });
    expect(madeUp.body.error.code).toBe(ErrorCode.MoodleTokenInvalid);
    const own = await api(admin, 'POST', '/api/moodle-connection/token', { token: ` ${emulator.moodle.createToken('admin')} ` });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ connected: true, method: 'wstoken', moodleUser: { id: 2, username: 'admin', fullname: 'Admin User' } });
  });

  it('names the web service functions the token’s service lacks', async () => {
    const admin = await configuredPlatform();
    const token = emulator.moodle.createToken('admin', { missingFunctions: ['core_enrol_get_users_courses', 'core_course_search_courses', 'core_course_get_courses_by_field'] });
    const connected = await api(admin, 'POST', '/api/moodle-connection/token', { token });
    expect(connected.body.missingFunctions).toEqual(['core_enrol_get_users_courses', 'core_course_search_courses', 'core_course_get_courses_by_field']);
  });

  it('trades a username and password once and keeps no password anywhere', async () => {
    const admin = await newPlatform();
    expect((await api(admin, 'PUT', '/api/platform/moodle-settings', { moodleUrl: emulator.url, method: 'credentials' })).status).toBe(200);
    const wrong = await api(admin, 'POST', '/api/moodle-connection/credentials', { username: 'admin', password: 'wrong-password' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe(ErrorCode.MoodleLoginFailed);
    const right = await api(admin, 'POST', '/api/moodle-connection/credentials', { username: 'admin', password: DEMO_PASSWORD });
    expect(right.body).toMatchObject({ connected: true, method: 'credentials', moodleUser: { username: 'admin' }, methods: ['credentials', 'wstoken'] });
    const rows = await ferry.dataSource.query(`SELECT row_to_json(t)::text AS json FROM moodle_tokens t WHERE user_id = $1`, [admin.userId]);
    expect(rows[0].json).not.toContain(DEMO_PASSWORD);
  });
});
