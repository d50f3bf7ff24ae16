import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformEmulator } from './platform-emulator.types';
import { startPlatformEmulator } from './start-platform-emulator';

const TOOL = 'http://tool.example';
const LAUNCH_URL = `${TOOL}/lti/launch`;
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

/** A tool's side: its key pair, with the public key served as a JWKS on a local port. */
async function startToolKeys() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'tool-1', alg: 'RS256', use: 'sig' }] });
  const server: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'tool-1' }).sign(privateKey);
  return { url, sign, close: () => new Promise<void>((closed) => server.close(() => closed())) };
}

function formFields(html: string): Array<[string, string]> {
  const decode = (value: string) =>
    value.replace(/&quot;/g, '"').replace(/&#039;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)].map(([, name, value]) => [name, decode(value)]);
}

describe('startPlatformEmulator', () => {
  let sut: RunningPlatformEmulator;
  let tool: Awaited<ReturnType<typeof startToolKeys>>;

  beforeAll(async () => {
    tool = await startToolKeys();
    sut = await startPlatformEmulator({
      port: 0,
      tool: { loginUrl: `${TOOL}/lti/login`, launchUrl: LAUNCH_URL, jwksUrl: tool.url },
    });
  });
  afterAll(async () => {
    await sut?.stop();
    await tool?.close();
  });

  async function logIn(username: string): Promise<string> {
    const response = await fetch(sut.loginUrl(username), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith('MoodleSession='));
    return cookie!.split(';')[0];
  }

  const get = (path: string, cookie?: string) =>
    fetch(new URL(path, sut.url), { redirect: 'manual', headers: cookie ? { cookie } : {} });

  /** launch.php for an activity: the login initiation fields Moodle would post to the tool. */
  async function initiateLogin(cookie: string, path = '/mod/lti/launch.php?id=3') {
    const response = await get(path, cookie);
    expect(response.status).toBe(200);
    return Object.fromEntries(formFields(await response.text()));
  }

  /** Ferry's redirect to auth.php, as CONTRACT.md specifies it. */
  function authQuery(login: Record<string, string>, overrides: Record<string, string> = {}) {
    return new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: login.client_id,
      redirect_uri: login.target_link_uri,
      login_hint: login.login_hint,
      lti_message_hint: login.lti_message_hint,
      state: 'state-123',
      nonce: 'nonce-123',
      ...overrides,
    });
  }

  async function authorize(cookie: string, query: URLSearchParams) {
    const response = await fetch(`${sut.authLoginUrl}?${query}`, { headers: { cookie } });
    const html = await response.text();
    return { status: response.status, html, fields: Object.fromEntries(formFields(html)) };
  }

  describe('sessions and the course page', () => {
    it('logs in with a MoodleSession cookie (HttpOnly, SameSite=Lax, path /) and lands on the course page', async () => {
      const response = await fetch(sut.loginUrl('student1'), { redirect: 'manual' });
      expect(response.headers.get('location')).toBe('/course/view.php?id=2');
      const cookie = response.headers.getSetCookie().find((value) => value.startsWith('MoodleSession='))!;
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
    });

    it('refuses a wrong password', async () => {
      const response = await fetch(`${sut.url}/login/index.php`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin', password: 'nope' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
      await expect(response.text()).resolves.toContain('Invalid login');
    });

    it('sends a visitor without a session to the login page', async () => {
      const response = await get('/course/view.php?id=2');
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/login/index.php?wantsurl=${encodeURIComponent('/course/view.php?id=2')}`);
    });

    it('embeds the activity in Moodle\'s contentframe and shows who is logged in', async () => {
      const html = await (await get(sut.coursePageUrl().slice(sut.url.length), await logIn('teacher1'))).text();
      expect(html).toContain('<title>Course: Transfer 101</title>');
      expect(html).toMatch(/<iframe id="contentframe" height="600px" width="100%" src="\/mod\/lti\/launch\.php\?id=3" allow="microphone \*;[^"]*"/);
      expect(html).toContain('Ivy Instructor');
      expect(html).toContain("'lti.frameResize'");
      expect(html).toContain('Add an activity (select content)');
    });
  });

  describe('launch.php and auth.php', () => {
    it('initiates the login exactly like Moodle: fields, order and a single-use launch id in the hint', async () => {
      const response = await get('/mod/lti/launch.php?id=3', await logIn('student1'));
      const html = await response.text();
      expect(html).toMatch(/^<form action="http:\/\/tool\.example\/lti\/login" name="ltiInitiateLoginForm" id="ltiInitiateLoginForm" method="post" encType="application\/x-www-form-urlencoded">\n/);
      const fields = formFields(html);
      expect(fields.map(([name]) => name)).toEqual(['iss', 'target_link_uri', 'login_hint', 'lti_message_hint', 'client_id', 'lti_deployment_id']);
      expect(Object.fromEntries(fields)).toMatchObject({
        iss: sut.issuer,
        target_link_uri: LAUNCH_URL,
        login_hint: '3',
        client_id: 'Gyg39EMMRRzRyuO',
        lti_deployment_id: '1',
      });
      expect(JSON.parse(Object.fromEntries(fields).lti_message_hint)).toEqual({ cmid: 3, launchid: expect.stringMatching(/^ltilaunch1_\d+$/) });
    });

    it('posts an id_token that verifies against certs.php and carries the nonce, then refuses the same hint again', async () => {
      const cookie = await logIn('student1');
      const login = await initiateLogin(cookie);
      const first = await authorize(cookie, authQuery(login));
      expect(first.html).toMatch(/^<form action="http:\/\/tool\.example\/lti\/launch" name="ltiAuthForm" id="ltiAuthForm" method="post" enctype="application\/x-www-form-urlencoded">\n/);
      expect(Object.keys(first.fields)).toEqual(['id_token', 'state']);
      expect(first.fields.state).toBe('state-123');
      const { payload, protectedHeader } = await jwtVerify(first.fields.id_token, createRemoteJWKSet(new URL(sut.jwksUrl)), {
        issuer: sut.issuer,
        audience: sut.clientId,
      });
      expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'RS256', kid: expect.stringMatching(/^[0-9a-f]{20}$/) });
      expect(payload).toMatchObject({ sub: '3', nonce: 'nonce-123', [`${LTI}/message_type`]: 'LtiResourceLinkRequest' });

      const again = await authorize(cookie, authQuery(login));
      expect(again.status).toBe(400);
      expect(again.fields).toEqual({});
    });

    it('shows an error page, posting nothing, for an unregistered redirect_uri', async () => {
      const cookie = await logIn('student1');
      const result = await authorize(cookie, authQuery(await initiateLogin(cookie), { redirect_uri: `${TOOL}/elsewhere` }));
      expect(result.status).toBe(400);
      expect(result.html).not.toContain('ltiAuthForm');
    });

    it('shows an error page for a scope other than openid, as Moodle cannot yet trust the redirect URI', async () => {
      const cookie = await logIn('student1');
      const result = await authorize(cookie, authQuery(await initiateLogin(cookie), { scope: 'openid profile' }));
      expect(result.status).toBe(400);
      expect(result.fields).toEqual({});
    });

    it('posts access_denied and the state back when the login_hint is another user', async () => {
      const cookie = await logIn('student1');
      const result = await authorize(cookie, authQuery(await initiateLogin(cookie), { login_hint: '2' }));
      expect(result.fields).toEqual({ error: 'access_denied', state: 'state-123' });
    });

    it('posts unauthorized_client for another client id and invalid_request for another response_mode', async () => {
      const cookie = await logIn('student1');
      const client = await authorize(cookie, authQuery(await initiateLogin(cookie), { client_id: 'someone-else' }));
      expect(client.fields).toEqual({ error: 'unauthorized_client', state: 'state-123' });
      const mode = await authorize(cookie, authQuery(await initiateLogin(cookie), { response_mode: 'query' }));
      expect(mode.fields).toEqual({ error: 'invalid_request', error_description: 'Invalid response_mode', state: 'state-123' });
    });

    it('refuses a launch hint from another session', async () => {
      const login = await initiateLogin(await logIn('student1'));
      const result = await authorize(await logIn('student1'), authQuery(login));
      expect(result.status).toBe(400);
      expect(result.fields).toEqual({});
    });
  });

  describe('keys', () => {
    it('publishes its keys at certs.php and keeps the old one after a rotation', async () => {
      const before = (await (await fetch(sut.jwksUrl)).json()) as { keys: Array<Record<string, string>> };
      expect(before.keys[0]).toEqual({ kty: 'RSA', alg: 'RS256', kid: expect.stringMatching(/^[0-9a-f]{20}$/), e: 'AQAB', n: expect.any(String), use: 'sig' });
      expect(Object.keys(before.keys[0])).toEqual(['kty', 'alg', 'kid', 'e', 'n', 'use']);

      await sut.rotateKey();
      const after = (await (await fetch(sut.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
      expect(after.keys.map((key) => key.kid).slice(0, -1)).toEqual(before.keys.map((key) => key.kid));
      const token = await sut.signIdToken({ sub: '3' });
      expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ kid: after.keys.at(-1)!.kid });
    });

    it('forges tokens that certs.php cannot verify: an unpublished key, no kid, HS256, alg none', async () => {
      const keys = createRemoteJWKSet(new URL(sut.jwksUrl));
      const claims = { sub: '3', iss: sut.issuer };
      await expect(jwtVerify(await sut.signIdToken(claims), keys)).resolves.toBeDefined();
      await expect(jwtVerify(await sut.signIdToken(claims, { key: 'unpublished' }), keys)).rejects.toThrow();
      await expect(jwtVerify(await sut.signIdToken(claims, { alg: 'HS256' }), keys)).rejects.toThrow();
      const unsigned = await sut.signIdToken(claims, { alg: 'none' });
      expect(unsigned.endsWith('.')).toBe(true);
      await expect(jwtVerify(unsigned, keys)).rejects.toThrow();
      const noKid = await sut.signIdToken(claims, { kid: null });
      expect(JSON.parse(Buffer.from(noKid.split('.')[0], 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'RS256' });
    });
  });

  describe('token.php and the services', () => {
    const SCOPES = [
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
    ];

    async function assertion(overrides: Record<string, unknown> = {}) {
      const now = Math.floor(Date.now() / 1000);
      return tool.sign({ iss: sut.clientId, sub: sut.clientId, aud: sut.accessTokenUrl, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...overrides });
    }

    async function requestToken(clientAssertion: string, contentType = 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
        scope: SCOPES.join(' '),
      });
      const body = contentType.startsWith('application/json') ? JSON.stringify(Object.fromEntries(form)) : form;
      const response = await fetch(sut.accessTokenUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
      return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
    }

    it('grants a token for a valid private_key_jwt assertion, in Moodle\'s shape', async () => {
      const { status, body } = await requestToken(await assertion());
      expect(status).toBe(200);
      expect(body).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{32}$/), token_type: 'Bearer', expires_in: 3600, scope: SCOPES.join(' ') });
    });

    it('refuses an assertion signed by another key, for another audience, replayed, or not form-encoded', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ iss: sut.clientId, sub: sut.clientId, aud: sut.accessTokenUrl, exp: now + 60, jti: 'x' })
        .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
        .sign(privateKey);
      await expect(requestToken(forged)).resolves.toEqual({ status: 400, body: { error: 'invalid_client' } });
      await expect(requestToken(await assertion({ aud: sut.issuer }))).resolves.toEqual({ status: 400, body: { error: 'invalid_client' } });
      const once = await assertion();
      expect((await requestToken(once)).status).toBe(200);
      await expect(requestToken(once)).resolves.toEqual({ status: 400, body: { error: 'invalid_client' } });
      await expect(requestToken(await assertion(), 'application/json')).resolves.toEqual({ status: 400, body: { error: 'invalid_request' } });
    });

    it('serves NRPS memberships and AGS line items, and records a learner\'s score but refuses the admin\'s', async () => {
      const token = (await requestToken(await assertion())).body.access_token as string;
      const authorization = { authorization: `Bearer ${token}` };
      const claims = sut.buildLaunchClaims({ user: 'student1', nonce: 'n' });
      const nrps = claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] as { context_memberships_url: string };
      const ags = claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as { lineitems: string; lineitem: string };

      await expect(fetch(nrps.context_memberships_url)).resolves.toMatchObject({ status: 401 });
      const members = await fetch(nrps.context_memberships_url, { headers: authorization });
      expect(members.headers.get('content-type')).toBe('application/vnd.ims.lti-nrps.v2.membershipcontainer+json; charset=utf-8');
      const membership = (await members.json()) as { context: unknown; members: Array<Record<string, unknown>> };
      expect(membership.context).toEqual({ id: '2', label: 'TRANSFER101', title: 'Transfer 101' });
      expect(membership.members.find((member) => member.user_id === '2')).toEqual({
        status: 'Active',
        roles: ['Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/person#Administrator'],
        user_id: '2',
        lis_person_sourcedid: '',
        name: 'Admin User',
        given_name: 'Admin',
        family_name: 'User',
        email: 'admin@example.com',
        ext_user_username: 'admin',
      });

      const lineItems = await fetch(ags.lineitems, { headers: authorization });
      expect(lineItems.headers.get('content-type')).toBe('application/vnd.ims.lis.v2.lineitemcontainer+json; charset=utf-8');
      await expect(lineItems.json()).resolves.toEqual([
        { id: ags.lineitem, label: 'LTI Transfer activity', scoreMaximum: 100, resourceId: '', tag: '', resourceLinkId: '1', ltiLinkId: '1' },
      ]);

      const scoresUrl = ags.lineitem.replace('/lineitem?', '/lineitem/scores?');
      const postScore = (score: Record<string, unknown>) =>
        fetch(scoresUrl, {
          method: 'POST',
          headers: { ...authorization, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
          body: JSON.stringify(score),
        });
      const score = { userId: '3', scoreGiven: 87, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date().toISOString() };
      const accepted = await postScore(score);
      expect(accepted.status).toBe(200);
      expect(accepted.headers.get('content-type')).toBe('application/vnd.ims.lis.v1.score+json; charset=utf-8');
      expect(sut.scores.at(-1)).toMatchObject({ lineItemId: 2, userId: '3', scoreGiven: 87 });
      expect((await postScore({ ...score, userId: '2', timestamp: new Date(Date.now() + 1000).toISOString() })).status).toBe(400);
      expect((await postScore({ ...score, scoreMaximum: undefined, timestamp: new Date(Date.now() + 2000).toISOString() })).status).toBe(400);
      expect((await postScore({ ...score, timestamp: 'yesterday' })).status).toBe(400);
    });
  });

  describe('deep linking', () => {
    it('sends a content selection request and adds the tool\'s ltiResourceLink as an activity', async () => {
      const cookie = await logIn('admin');
      const login = await initiateLogin(cookie, `/mod/lti/contentitem.php?course=2&id=1&title=Picked&text=desc`);
      expect(JSON.parse(login.lti_message_hint)).toEqual({ launchid: expect.stringMatching(/^ltilaunch_ContentItemSelectionRequest\d+$/) });
      const { fields } = await authorize(cookie, authQuery(login));
      const request = decodeJwt(fields.id_token);
      expect(request[`${LTI}/message_type`]).toBe('LtiDeepLinkingRequest');
      const settings = request['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as Record<string, string>;
      expect(settings).toMatchObject({ title: 'Picked', text: 'desc', accept_types: ['ltiResourceLink'] });

      const reply = await tool.sign({
        iss: sut.clientId,
        aud: sut.issuer,
        nonce: 'tool-nonce',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 60,
        [`${LTI}/message_type`]: 'LtiDeepLinkingResponse',
        [`${LTI}/version`]: '1.3.0',
        [`${LTI}/deployment_id`]: '1',
        'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [
          { type: 'ltiResourceLink', title: 'Week 1 reading', custom: { activity_id: 'a-42' } },
        ],
      });
      const returned = await fetch(settings.deep_link_return_url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ JWT: reply }),
      });
      expect(returned.status).toBe(200);
      await expect(returned.text()).resolves.toContain('Week 1 reading');
      const added = sut.activities.find((activity) => activity.name === 'Week 1 reading')!;
      expect(added).toMatchObject({ deploymentId: '1', custom: { activity_id: 'a-42' }, kind: 'resource-link' });
      const launch = sut.buildLaunchClaims({ user: 'student1', nonce: 'n', activity: added });
      expect(launch[`${LTI}/custom`]).toMatchObject({ activity_id: 'a-42' });
    });

    it('refuses a deep linking response signed by a key the tool does not publish', async () => {
      const cookie = await logIn('admin');
      const login = await initiateLogin(cookie, `/mod/lti/contentitem.php?course=2&id=1&title=&text=`);
      const { fields } = await authorize(cookie, authQuery(login));
      const settings = decodeJwt(fields.id_token)['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as Record<string, string>;
      const count = sut.activities.length;
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ iss: sut.clientId, aud: sut.issuer, nonce: 'x', [`${LTI}/message_type`]: 'LtiDeepLinkingResponse', [`${LTI}/deployment_id`]: '1' })
        .setProtectedHeader({ alg: 'RS256', kid: 'tool-1' })
        .sign(privateKey);
      const returned = await fetch(settings.deep_link_return_url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ JWT: forged }),
      });
      expect(returned.status).toBe(400);
      expect(sut.activities.length).toBe(count);
    });
  });
});
