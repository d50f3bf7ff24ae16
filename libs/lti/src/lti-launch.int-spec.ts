import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformEmulator, type RunningPlatformEmulator } from '@ferry/platform-emulator';
import { LtiClaim } from '@ferry/identity';
import { ltiRedisKeys } from './lti-state.store';
import {
  launchCodeFrom,
  launchThroughPlatform,
  postLtiLaunch,
  redeemLaunchCode,
  startLtiLogin,
  startLtiTestApp,
  type LaunchThroughPlatformOptions,
  type LtiTestApp,
} from './testing';

type EmulatorUser = RunningPlatformEmulator['users'][number];

describe('LTI 1.3 login and launch', () => {
  let ferry: LtiTestApp;
  let moodle: RunningPlatformEmulator;
  let learner: EmulatorUser;
  let instructor: EmulatorUser;

  async function addPlatform(options: { deployments?: string[] } = {}) {
    const emulator = await startPlatformEmulator({
      port: 0,
      tool: { loginUrl: `${ferry.url}/lti/login`, launchUrl: `${ferry.url}/lti/launch`, jwksUrl: `${ferry.url}/.well-known/jwks.json` },
      ...options,
    });
    const platform = await ferry.platforms.create({
      name: `Moodle at ${emulator.issuer}`,
      issuer: emulator.issuer,
      clientId: emulator.clientId,
      authLoginUrl: emulator.authLoginUrl,
      accessTokenUrl: emulator.accessTokenUrl,
      jwksUrl: emulator.jwksUrl,
      deploymentIds: emulator.deploymentIds,
    });
    return { emulator, platform };
  }

  const emulators: RunningPlatformEmulator[] = [];
  let platformId: string;

  beforeAll(async () => {
    ferry = await startLtiTestApp();
    const added = await addPlatform();
    moodle = added.emulator;
    platformId = added.platform.id;
    emulators.push(moodle);
    learner = moodle.users.find((user) => user.role === 'learner') ?? moodle.users[0];
    instructor = moodle.users.find((user) => user.role === 'instructor') ?? moodle.users[0];
  });
  afterAll(async () => {
    await Promise.all(emulators.map((emulator) => emulator.stop()));
    await ferry?.close();
  });

  const launch = (options: Partial<LaunchThroughPlatformOptions<EmulatorUser>> = {}) =>
    launchThroughPlatform<EmulatorUser>({ ferryUrl: ferry.url, platform: moodle, user: learner, ...options });

  const loginParams = () => ({
    iss: moodle.issuer,
    login_hint: String(learner.id),
    target_link_uri: `${ferry.url}/lti/launch`,
    client_id: moodle.clientId,
    lti_deployment_id: moodle.deploymentIds[0],
  });

  async function errorCode(response: Response): Promise<string> {
    const body = (await response.json()) as { error?: { code: string } };
    return body.error?.code ?? `HTTP ${response.status}`;
  }

  /** Runs a launch that must fail with `code`, and checks it left no user, launch or code behind. */
  async function expectRefusedWithoutWrites(run: () => Promise<Response>, code: string, status = 400) {
    const before = await ferry.writes();
    const response = await run();
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status, code });
    await expect(ferry.writes()).resolves.toEqual(before);
  }

  describe('login', () => {
    it('redirects to the platform with exactly the OIDC parameters, echoing lti_message_hint byte for byte', async () => {
      const hint = '{"cmid":3,"launchid":"ltilaunch1_252550933","x":"a+b c&d=é\\"q\\""}';
      const { response, location } = await startLtiLogin(ferry.url, { ...loginParams(), lti_message_hint: hint });
      expect(response.status).toBe(302);
      const authUrl = new URL(moodle.authLoginUrl);
      expect(`${location!.origin}${location!.pathname}`).toBe(`${authUrl.origin}${authUrl.pathname}`);
      const params = Object.fromEntries(location!.searchParams);
      expect(Object.keys(params).sort()).toEqual(
        [...new Set([...authUrl.searchParams.keys(), 'client_id', 'login_hint', 'lti_message_hint', 'nonce', 'prompt', 'redirect_uri', 'response_mode', 'response_type', 'scope', 'state'])].sort(),
      );
      expect(params).toMatchObject({
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: moodle.clientId,
        redirect_uri: `${ferry.url}/lti/launch`,
        login_hint: String(learner.id),
        lti_message_hint: hint,
      });
    });

    it('binds the state to the browser with a SameSite=None; Secure; Partitioned; HttpOnly cookie', async () => {
      const { state, setCookies } = await startLtiLogin(ferry.url, loginParams());
      const cookie = setCookies.find((value) => value.startsWith(`ferry_lti_state_${state.slice(0, 16)}=`));
      expect(cookie).toBeDefined();
      for (const attribute of ['SameSite=None', 'Secure', 'Partitioned', 'HttpOnly', 'Path=/lti', 'Max-Age=600']) {
        expect(cookie).toContain(attribute);
      }
      await expect(ferry.redis.ttl(ltiRedisKeys.state(state))).resolves.toBeGreaterThan(600);
    });

    it('accepts GET as well as POST', async () => {
      const { response } = await startLtiLogin(ferry.url, loginParams(), 'GET');
      expect(response.status).toBe(302);
    });

    it('answers unknown_platform for an unknown issuer or client id', async () => {
      const unknownIssuer = await startLtiLogin(ferry.url, { ...loginParams(), iss: 'https://moodle.nowhere.example' });
      expect(unknownIssuer.response.status).toBe(400);
      await expect(errorCode(unknownIssuer.response)).resolves.toBe('unknown_platform');
      const unknownClient = await startLtiLogin(ferry.url, { ...loginParams(), client_id: 'not-registered' });
      await expect(errorCode(unknownClient.response)).resolves.toBe('unknown_platform');
    });

    it('answers login_invalid without iss, login_hint or target_link_uri, and refuses foreign target links', async () => {
      for (const name of ['iss', 'login_hint', 'target_link_uri'] as const) {
        const { response } = await startLtiLogin(ferry.url, { ...loginParams(), [name]: undefined } as never);
        expect(response.status).toBe(400);
        await expect(errorCode(response)).resolves.toBe('login_invalid');
      }
      const foreign = await startLtiLogin(ferry.url, { ...loginParams(), target_link_uri: 'https://evil.example.com/lti/launch' });
      await expect(errorCode(foreign.response)).resolves.toBe('target_link_uri_invalid');
    });
  });

  describe('launch', () => {
    it('records a resource link launch, clears the state cookie and hands the SPA a one-time code', async () => {
      const before = await ferry.writes();
      const { response, code, login } = await launch({ user: instructor });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${ferry.url}/app/launch#code=${code}`);
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const cleared = response.headers.getSetCookie().find((value) => value.startsWith(login.cookie!.split('=')[0]));
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
      const after = await ferry.writes();
      expect(after.launches).toBe(before.launches + 1);
      expect(after.codes).toBe(before.codes + 1);
      await expect(ferry.redis.ttl(`ferry:launch-code:${code}`)).resolves.toBeGreaterThan(55);
    });

    it('stores every verified claim of the launch', async () => {
      const { code, claims } = await launch();
      const launchId = await ferry.redis.get(`ferry:launch-code:${code}`);
      const [row] = await ferry.dataSource.query('SELECT * FROM launches WHERE id = $1', [launchId]);
      expect(row.claims).toEqual(claims);
      expect(row.platform_id).toBe(platformId);
      expect(row.message_type).toBe('LtiResourceLinkRequest');
      expect(row.lti_roles).toEqual(claims[LtiClaim.Roles]);
      expect(row.resource_link_id).toBe((claims[LtiClaim.ResourceLink] as { id: string }).id);
      const [user] = await ferry.dataSource.query('SELECT * FROM users WHERE id = $1', [row.user_id]);
      expect(user.sub).toBe(claims.sub);
    });

    it('sends a deep linking request to the SPA’s deep link page', async () => {
      const { response, code } = await launch({ user: instructor, messageType: 'LtiDeepLinkingRequest' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${ferry.url}/app/deep-link#code=${code}`);
    });

    it('still works when the browser sends no cookie at all (third-party cookies blocked)', async () => {
      const { response } = await launch({ sendCookie: false });
      expect(response.status).toBe(303);
    });

    it('refuses a launch carrying only another login’s state cookie', async () => {
      const other = await startLtiLogin(ferry.url, loginParams());
      await expectRefusedWithoutWrites(async () => {
        const login = await startLtiLogin(ferry.url, loginParams());
        const idToken = await moodle.signIdToken(moodle.buildLaunchClaims({ user: learner, nonce: login.nonce }));
        return postLtiLaunch(ferry.url, { idToken, state: login.state, cookie: other.cookie });
      }, 'state_cookie_mismatch');
    });

    it('upserts one user per platform and sub across launches', async () => {
      await launch();
      const before = await ferry.writes();
      await launch();
      const after = await ferry.writes();
      expect(after.users).toBe(before.users);
      expect(after.launches).toBe(before.launches + 1);
    });
  });

  describe('refuses, writing no user, launch or code', () => {
    const claimEdits: Array<[string, string, (claims: Record<string, unknown>) => unknown]> = [
      ['another issuer', 'issuer_mismatch', (c) => (c.iss = 'https://evil.example.com')],
      ['another audience', 'audience_mismatch', (c) => (c.aud = 'someone-else')],
      ['several audiences without azp', 'authorized_party_mismatch', (c) => (c.aud = [c.aud as string, 'other'])],
      ['an azp naming another tool', 'authorized_party_mismatch', (c) => (c.azp = 'other')],
      ['an expired token', 'token_expired', (c) => ((c.iat = Math.floor(Date.now() / 1000) - 7200), (c.exp = Math.floor(Date.now() / 1000) - 3600))],
      ['a token valid only later', 'token_not_yet_valid', (c) => (c.nbf = Math.floor(Date.now() / 1000) + 3600)],
      ['no iat', 'issued_at_invalid', (c) => delete c.iat],
      ['an iat in the future', 'issued_at_invalid', (c) => ((c.iat = Math.floor(Date.now() / 1000) + 3600), (c.exp = (c.iat as number) + 60))],
      ['no nonce', 'nonce_missing', (c) => delete c.nonce],
      ['another nonce', 'nonce_mismatch', (c) => (c.nonce = 'not-the-login-nonce')],
      ['no deployment_id', 'deployment_missing', (c) => delete c[LtiClaim.DeploymentId]],
      ['no message_type', 'message_type_missing', (c) => delete c[LtiClaim.MessageType]],
      ['an unsupported message type', 'message_type_unsupported', (c) => (c[LtiClaim.MessageType] = 'LtiSubmissionReviewRequest')],
      ['no version', 'version_missing', (c) => delete c[LtiClaim.Version]],
      ['a wrong LTI version', 'version_unsupported', (c) => (c[LtiClaim.Version] = '1.1.0')],
      ['no sub', 'subject_missing', (c) => delete c.sub],
      ['no roles claim', 'roles_missing', (c) => delete c[LtiClaim.Roles]],
      ['a target_link_uri elsewhere', 'target_link_uri_invalid', (c) => (c[LtiClaim.TargetLinkUri] = 'https://evil.example.com/lti/launch')],
      ['no resource link id', 'resource_link_missing', (c) => (c[LtiClaim.ResourceLink] = { title: 'no id' })],
      ['a context that is not an object', 'claim_invalid', (c) => (c[LtiClaim.Context] = 'course 2')],
      ['an unknown deployment', 'unknown_deployment', (c) => (c[LtiClaim.DeploymentId] = 'not-registered')],
    ];
    for (const [name, code, edit] of claimEdits) {
      it(`${name} → ${code}`, async () => {
        const status = code === 'unknown_deployment' ? 403 : 400;
        await expectRefusedWithoutWrites(async () => (await launch({ editClaims: edit })).response, code, status);
      });
    }

    it('a deep linking request without settings → deep_linking_settings_missing', async () => {
      await expectRefusedWithoutWrites(
        async () =>
          (
            await launch({
              user: instructor,
              messageType: 'LtiDeepLinkingRequest',
              editClaims: (c) => delete c[LtiClaim.DeepLinkingSettings],
            })
          ).response,
        'deep_linking_settings_missing',
      );
    });

    const signings: Array<[string, string, Parameters<RunningPlatformEmulator['signIdToken']>[1]]> = [
      ['no kid', 'kid_missing', { kid: null }],
      ['a kid the platform does not publish', 'kid_unknown', { kid: 'not-published-kid' }],
      ['a signature by an unpublished key', 'signature_invalid', { key: 'unpublished' }],
      ['HS256', 'algorithm_not_allowed', { alg: 'HS256' }],
      ['alg none', 'algorithm_not_allowed', { alg: 'none' }],
    ];
    for (const [name, code, signing] of signings) {
      it(`${name} → ${code}`, async () => {
        await expectRefusedWithoutWrites(async () => (await launch({ signing })).response, code);
      });
    }

    it('an id_token that is not a JWT → token_malformed', async () => {
      for (const garbage of ['garbage', 'a.b.c']) {
        await expectRefusedWithoutWrites(async () => {
          const login = await startLtiLogin(ferry.url, loginParams());
          return postLtiLaunch(ferry.url, { idToken: garbage, state: login.state });
        }, 'token_malformed');
      }
    });

    it('a form without id_token or state → launch_invalid', async () => {
      const login = await startLtiLogin(ferry.url, loginParams());
      await expectRefusedWithoutWrites(() => postLtiLaunch(ferry.url, { state: login.state }), 'launch_invalid');
      await expectRefusedWithoutWrites(() => postLtiLaunch(ferry.url, { idToken: 'x' }), 'launch_invalid');
    });

    it('an unknown state → state_invalid, an expired one → state_expired', async () => {
      await expectRefusedWithoutWrites(() => postLtiLaunch(ferry.url, { idToken: 'x.y.z', state: 'never-issued' }), 'state_invalid');
      const login = await startLtiLogin(ferry.url, loginParams());
      const key = ltiRedisKeys.state(login.state);
      const stored = JSON.parse((await ferry.redis.get(key))!);
      await ferry.redis.set(key, JSON.stringify({ ...stored, createdAt: Date.now() - 601_000 }), 'EX', 60);
      const idToken = await moodle.signIdToken(moodle.buildLaunchClaims({ user: learner, nonce: login.nonce }));
      await expectRefusedWithoutWrites(() => postLtiLaunch(ferry.url, { idToken, state: login.state }), 'state_expired');
    });

    it('a replayed launch → state_invalid; its nonce under a fresh state → nonce_reused', async () => {
      const first = await launch();
      expect(first.response.status).toBe(303);
      await expectRefusedWithoutWrites(
        () => postLtiLaunch(ferry.url, { idToken: first.idToken, state: first.login.state }),
        'state_invalid',
      );
      const forged = 'forged-state-reusing-a-nonce';
      await ferry.redis.set(
        ltiRedisKeys.state(forged),
        JSON.stringify({ platformId, nonce: first.login.nonce, targetLinkUri: `${ferry.url}/lti/launch`, createdAt: Date.now() }),
        'EX',
        60,
      );
      await expectRefusedWithoutWrites(() => postLtiLaunch(ferry.url, { idToken: first.idToken, state: forged }), 'nonce_reused');
    });

    it('an error the platform posts → platform_error, with its description on the page', async () => {
      const login = await startLtiLogin(ferry.url, loginParams());
      const before = await ferry.writes();
      const response = await postLtiLaunch(ferry.url, {
        state: login.state,
        accept: 'text/html',
        fields: { error: 'invalid_request', error_description: 'The redirect_uri is not registered' },
      });
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('platform_error');
      expect(page).toContain('invalid_request');
      expect(page).toContain('The redirect_uri is not registered');
      expect(page).toContain('What to check');
      await expect(ferry.writes()).resolves.toEqual(before);
      await expect(ferry.redis.exists(ltiRedisKeys.state(login.state))).resolves.toBe(0);
    });

    it('an unreachable platform JWKS → 502 platform_jwks_unavailable', async () => {
      await ferry.platforms.create({
        name: 'Moodle with a broken keyset URL',
        issuer: moodle.issuer,
        clientId: 'broken-jwks-client',
        authLoginUrl: moodle.authLoginUrl,
        accessTokenUrl: moodle.accessTokenUrl,
        jwksUrl: 'http://127.0.0.1:9/mod/lti/certs.php',
        deploymentIds: moodle.deploymentIds,
      });
      await expectRefusedWithoutWrites(
        async () => {
          const login = await startLtiLogin(ferry.url, { ...loginParams(), client_id: 'broken-jwks-client' });
          const claims = moodle.buildLaunchClaims({ user: learner, nonce: login.nonce, audience: 'broken-jwks-client' });
          return postLtiLaunch(ferry.url, { idToken: await moodle.signIdToken(claims), state: login.state });
        },
        'platform_jwks_unavailable',
        502,
      );
    });
  });

  describe('errors render for people and for programs', () => {
    it('renders an HTML page with the code and a hint for a browser', async () => {
      const response = await postLtiLaunch(ferry.url, { idToken: 'x', state: 'unknown', accept: 'text/html,application/xhtml+xml' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('text/html');
      const page = await response.text();
      expect(page).toContain('state_invalid');
      expect(page).toContain('What to check');
    });

    it('answers the contract JSON when asked for JSON', async () => {
      const response = await postLtiLaunch(ferry.url, { idToken: 'x', state: 'unknown', accept: 'application/json' });
      expect(response.headers.get('content-type')).toContain('application/json');
      await expect(response.json()).resolves.toEqual({ error: { code: 'state_invalid', message: expect.any(String) } });
    });
  });

  describe('platforms and deployments', () => {
    it('launches from a second platform (another issuer)', async () => {
      const { emulator } = await addPlatform();
      emulators.push(emulator);
      const user = emulator.users[0];
      const { response, code } = await launchThroughPlatform({ ferryUrl: ferry.url, platform: emulator, user });
      expect(response.status).toBe(303);
      const session = await redeemLaunchCode(ferry.url, code!);
      await expect(session.json()).resolves.toMatchObject({ platform: { issuer: emulator.issuer } });
    });

    it('launches through a second deployment of the same platform, and refuses a deactivated one', async () => {
      const { emulator, platform } = await addPlatform({ deployments: ['1', '7'] });
      emulators.push(emulator);
      const user = emulator.users[0];
      const second = await launchThroughPlatform({ ferryUrl: ferry.url, platform: emulator, user, deploymentId: '7' });
      expect(second.response.status).toBe(303);
      const launchId = await ferry.redis.get(`ferry:launch-code:${second.code}`);
      const [row] = await ferry.dataSource.query(
        'SELECT d.deployment_id FROM launches l JOIN deployments d ON d.id = l.deployment_id WHERE l.id = $1',
        [launchId],
      );
      expect(row.deployment_id).toBe('7');

      await ferry.platforms.removeDeployment(platform.id, '7');
      await expectRefusedWithoutWrites(
        async () => (await launchThroughPlatform({ ferryUrl: ferry.url, platform: emulator, user, deploymentId: '7' })).response,
        'deployment_inactive',
        403,
      );
    });

    it('refuses logins and launches of a deactivated platform', async () => {
      const { emulator, platform } = await addPlatform();
      emulators.push(emulator);
      const user = emulator.users[0];
      const login = await startLtiLogin(ferry.url, {
        iss: emulator.issuer,
        login_hint: String(user.id),
        target_link_uri: `${ferry.url}/lti/launch`,
        client_id: emulator.clientId,
      });
      await ferry.platforms.deactivate(platform.id);

      const idToken = await emulator.signIdToken(emulator.buildLaunchClaims({ user, nonce: login.nonce }));
      await expectRefusedWithoutWrites(() => postLtiLaunch(ferry.url, { idToken, state: login.state }), 'platform_inactive', 403);
      const again = await startLtiLogin(ferry.url, {
        iss: emulator.issuer,
        login_hint: String(user.id),
        target_link_uri: `${ferry.url}/lti/launch`,
        client_id: emulator.clientId,
      });
      expect(again.response.status).toBe(403);
      await expect(errorCode(again.response)).resolves.toBe('platform_inactive');
    });
  });

  it('answers the launch code once: the helper’s code redeems', async () => {
    const { response } = await launch();
    const code = launchCodeFrom(response)!;
    await expect(redeemLaunchCode(ferry.url, code).then((res) => res.status)).resolves.toBe(200);
    await expect(redeemLaunchCode(ferry.url, code).then((res) => res.status)).resolves.toBe(400);
  });
});
