import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, FerryError } from '@ferry/errors';
import { LtiClaim } from '@ferry/identity';
import type { Deployment, Platform, PlatformsService } from '@ferry/platforms';
import { testConfig } from '@ferry/testing';
import { LtiStateStore, ltiRedisKeys, stateCookieName } from '../lti-state.store';
import { LaunchValidator } from './launch-validator';
import type { PlatformKeysService } from './platform-keys.service';

/** Just enough of ioredis for the state store: SET (EX, NX) and GETDEL. */
class FakeRedis {
  readonly values = new Map<string, string>();
  async set(key: string, value: string, ...options: Array<string | number>): Promise<'OK' | null> {
    if (options.includes('NX') && this.values.has(key)) return null;
    this.values.set(key, value);
    return 'OK';
  }
  async getdel(key: string): Promise<string | null> {
    const value = this.values.get(key) ?? null;
    this.values.delete(key);
    return value;
  }
}

const FERRY = 'https://ferry.example.edu';
const config = testConfig({ PUBLIC_URL: FERRY, LTI_CLOCK_SKEW_SECONDS: '5' });
const now = () => Math.floor(Date.now() / 1000);

const platform = {
  id: randomUUID(),
  name: 'Moodle',
  issuer: 'https://moodle.example.edu',
  clientId: 'client-1',
  authLoginUrl: 'https://moodle.example.edu/mod/lti/auth.php',
  accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
  jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php',
  status: 'active',
} as Platform;
const deployment = { id: randomUUID(), platformId: platform.id, deploymentId: '1', active: true } as Deployment;

class FakePlatforms {
  current: Platform = platform;
  async findForLaunch(id: string) {
    return id === this.current.id ? this.current : null;
  }
  async resolveLaunchDeployment(_platform: Platform, deploymentId: string) {
    if (deploymentId !== '1') throw new FerryError(ErrorCode.UnknownDeployment, 'unknown deployment');
    return deployment;
  }
}

describe(LaunchValidator.name, () => {
  let platformKey: CryptoKey;
  let unpublishedKey: CryptoKey;
  let jwks: { keys: JWK[] };
  let redis: FakeRedis;
  let platforms: FakePlatforms;
  let states: LtiStateStore;
  let sut: LaunchValidator;

  beforeAll(async () => {
    const published = await generateKeyPair('RS256', { extractable: true });
    platformKey = published.privateKey;
    unpublishedKey = (await generateKeyPair('RS256')).privateKey;
    jwks = { keys: [{ ...(await exportJWK(published.publicKey)), kid: 'platform-key', alg: 'RS256', use: 'sig' }] };
  });

  beforeEach(() => {
    redis = new FakeRedis();
    platforms = new FakePlatforms();
    states = new LtiStateStore(redis as unknown as Redis, config);
    const keys = { keySetFor: () => createLocalJWKSet(jwks) } as unknown as PlatformKeysService;
    sut = new LaunchValidator(config, platforms as unknown as PlatformsService, keys, states);
  });

  async function login(createdAt = Date.now()) {
    const state = `state-${randomUUID()}`;
    const nonce = `nonce-${randomUUID()}`;
    await states.saveState(state, { platformId: platform.id, nonce, targetLinkUri: `${FERRY}/lti/launch`, createdAt });
    return { state, nonce };
  }

  function claims(nonce: string, overrides: Record<string, unknown> = {}): JWTPayload {
    const iat = now();
    const payload: Record<string, unknown> = {
      iss: platform.issuer,
      aud: platform.clientId,
      sub: '3',
      iat,
      exp: iat + 60,
      nonce,
      [LtiClaim.MessageType]: 'LtiResourceLinkRequest',
      [LtiClaim.Version]: '1.3.0',
      [LtiClaim.DeploymentId]: '1',
      [LtiClaim.TargetLinkUri]: `${FERRY}/lti/launch`,
      [LtiClaim.ResourceLink]: { id: '1', title: 'Activity' },
      [LtiClaim.Roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [LtiClaim.Context]: { id: '2', label: 'C', title: 'Course', type: ['CourseSection'] },
      ...overrides,
    };
    for (const [key, value] of Object.entries(payload)) if (value === undefined) delete payload[key];
    return payload as JWTPayload;
  }

  function sign(payload: JWTPayload, header: { kid?: string | null; key?: CryptoKey } = {}) {
    const kid = header.kid === undefined ? 'platform-key' : header.kid;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid === null ? {} : { kid }) })
      .sign(header.key ?? platformKey);
  }

  async function launchWith(overrides: Record<string, unknown> = {}, header: { kid?: string | null; key?: CryptoKey } = {}) {
    const { state, nonce } = await login();
    const idToken = await sign(claims(nonce, overrides), header);
    return sut.validateLaunch({ id_token: idToken, state }, {});
  }

  async function codeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof FerryError) return error.code;
      throw error;
    }
    return 'accepted';
  }

  const nonceMarkers = () => [...redis.values.keys()].filter((key) => key.startsWith('ferry:lti:nonce:'));

  it('accepts a valid resource link launch and marks its nonce used', async () => {
    const launch = await launchWith();
    expect(launch.platform).toBe(platform);
    expect(launch.deployment).toBe(deployment);
    expect(launch.claims.resourceLink).toEqual({ id: '1', title: 'Activity' });
    expect(nonceMarkers()).toHaveLength(1);
  });

  it('accepts a deep linking request', async () => {
    const launch = await launchWith({
      [LtiClaim.MessageType]: 'LtiDeepLinkingRequest',
      [LtiClaim.ResourceLink]: undefined,
      [LtiClaim.DeepLinkingSettings]: { deep_link_return_url: 'https://moodle.example.edu/mod/lti/contentitem_return.php' },
    });
    expect(launch.claims.messageType).toBe('LtiDeepLinkingRequest');
  });

  describe('the 1EdTech certification suite’s valid launches', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['several roles', { [LtiClaim.Roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty'] }],
      ['short role names', { [LtiClaim.Roles]: ['Instructor', 'Learner'] }],
      ['unknown roles', { [LtiClaim.Roles]: ['http://example.com/roles#Wizard'] }],
      ['an empty roles array', { [LtiClaim.Roles]: [] }],
      ['email only', { email: 'someone@example.edu' }],
      ['names only', { name: 'Some One', given_name: 'Some', family_name: 'One' }],
      ['no personal data', {}],
      ['no context', { [LtiClaim.Context]: undefined }],
      ['a new resource link id', { [LtiClaim.ResourceLink]: { id: randomUUID() } }],
      ['an audience array with azp', { aud: [platform.clientId, 'other'], azp: platform.clientId }],
    ];
    for (const [name, overrides] of cases) {
      it(`accepts ${name}`, async () => {
        await expect(codeOf(launchWith(overrides))).resolves.toBe('accepted');
      });
    }
  });

  describe('refuses, writing nothing', () => {
    const later = () => now() + 3600;
    const cases: Array<[string, ErrorCode, Record<string, unknown>, { kid?: string | null; unpublished?: boolean }?]> = [
      ['no kid', ErrorCode.KidMissing, {}, { kid: null }],
      ['a kid the platform does not publish', ErrorCode.KidUnknown, {}, { kid: 'not-published' }],
      ['a signature by another key', ErrorCode.SignatureInvalid, {}, { unpublished: true }],
      ['another issuer', ErrorCode.IssuerMismatch, { iss: 'https://evil.example.com' }],
      ['another audience', ErrorCode.AudienceMismatch, { aud: 'someone-else' }],
      ['an audience array without us', ErrorCode.AudienceMismatch, { aud: ['a', 'b'] }],
      ['several audiences without azp', ErrorCode.AuthorizedPartyMismatch, { aud: [platform.clientId, 'other'] }],
      ['several audiences with another azp', ErrorCode.AuthorizedPartyMismatch, { aud: [platform.clientId, 'other'], azp: 'other' }],
      ['a single audience with another azp', ErrorCode.AuthorizedPartyMismatch, { azp: 'other' }],
      ['an expired token (timestamps incorrect)', ErrorCode.TokenExpired, { iat: now() - 7200, exp: now() - 3600 }],
      ['a token not valid yet', ErrorCode.TokenNotYetValid, { nbf: later() }],
      ['no iat', ErrorCode.IssuedAtInvalid, { iat: undefined }],
      ['an iat in the future', ErrorCode.IssuedAtInvalid, { iat: later(), exp: later() + 60 }],
      ['no exp', ErrorCode.ClaimInvalid, { exp: undefined }],
      ['no nonce', ErrorCode.NonceMissing, { nonce: undefined }],
      ['another nonce', ErrorCode.NonceMismatch, { nonce: 'other' }],
      ['no deployment_id', ErrorCode.DeploymentMissing, { [LtiClaim.DeploymentId]: undefined }],
      ['an unknown deployment', ErrorCode.UnknownDeployment, { [LtiClaim.DeploymentId]: '99' }],
      ['no message_type', ErrorCode.MessageTypeMissing, { [LtiClaim.MessageType]: undefined }],
      ['another message type', ErrorCode.MessageTypeUnsupported, { [LtiClaim.MessageType]: 'LtiSubmissionReviewRequest' }],
      ['no version', ErrorCode.VersionMissing, { [LtiClaim.Version]: undefined }],
      ['a wrong LTI version', ErrorCode.VersionUnsupported, { [LtiClaim.Version]: '1.2.0' }],
      ['no sub (anonymous)', ErrorCode.SubjectMissing, { sub: undefined }],
      ['an empty sub', ErrorCode.SubjectMissing, { sub: '' }],
      ['no roles claim', ErrorCode.RolesMissing, { [LtiClaim.Roles]: undefined }],
      ['roles that are not an array', ErrorCode.RolesMissing, { [LtiClaim.Roles]: 'Learner' }],
      ['a target_link_uri elsewhere', ErrorCode.TargetLinkUriInvalid, { [LtiClaim.TargetLinkUri]: 'https://evil.example.com/lti/launch' }],
      ['no resource link id', ErrorCode.ResourceLinkMissing, { [LtiClaim.ResourceLink]: { title: 'No id' } }],
      ['no resource link at all', ErrorCode.ResourceLinkMissing, { [LtiClaim.ResourceLink]: undefined }],
      [
        'deep linking without settings',
        ErrorCode.DeepLinkingSettingsMissing,
        { [LtiClaim.MessageType]: 'LtiDeepLinkingRequest', [LtiClaim.DeepLinkingSettings]: undefined },
      ],
      [
        'deep linking without a return URL',
        ErrorCode.DeepLinkingSettingsMissing,
        { [LtiClaim.MessageType]: 'LtiDeepLinkingRequest', [LtiClaim.DeepLinkingSettings]: { accept_types: ['ltiResourceLink'] } },
      ],
      ['a context that is not an object', ErrorCode.ClaimInvalid, { [LtiClaim.Context]: 'course' }],
      ['missing LTI claims altogether', ErrorCode.DeploymentMissing, {
        [LtiClaim.DeploymentId]: undefined,
        [LtiClaim.MessageType]: undefined,
        [LtiClaim.Version]: undefined,
        [LtiClaim.Roles]: undefined,
        [LtiClaim.ResourceLink]: undefined,
      }],
    ];
    for (const [name, code, overrides, header = {}] of cases) {
      it(`${name} → ${code}`, async () => {
        const key = header.unpublished ? unpublishedKey : undefined;
        await expect(codeOf(launchWith(overrides, { kid: header.kid, key }))).resolves.toBe(code);
        expect(nonceMarkers()).toEqual([]);
      });
    }
  });

  it('refuses tokens that are not JWTs', async () => {
    for (const garbage of ['not-a-jwt', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln']) {
      const { state } = await login();
      await expect(codeOf(sut.validateLaunch({ id_token: garbage, state }, {}))).resolves.toBe(ErrorCode.TokenMalformed);
    }
  });

  it('refuses alg none and HS256 before looking for a key', async () => {
    const { state, nonce } = await login();
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'platform-key' })).toString('base64url')}.${Buffer.from(
      JSON.stringify(claims(nonce)),
    ).toString('base64url')}.`;
    await expect(codeOf(sut.validateLaunch({ id_token: unsigned, state }, {}))).resolves.toBe(ErrorCode.AlgorithmNotAllowed);

    const second = await login();
    const hs256 = await new SignJWT(claims(second.nonce))
      .setProtectedHeader({ alg: 'HS256', kid: 'platform-key' })
      .sign(new TextEncoder().encode('a shared secret that is long enough'));
    await expect(codeOf(sut.validateLaunch({ id_token: hs256, state: second.state }, {}))).resolves.toBe(
      ErrorCode.AlgorithmNotAllowed,
    );
  });

  it('needs both id_token and state', async () => {
    await expect(codeOf(sut.validateLaunch({ state: 'x' }, {}))).resolves.toBe(ErrorCode.LaunchInvalid);
    await expect(codeOf(sut.validateLaunch({ id_token: 'x' }, {}))).resolves.toBe(ErrorCode.LaunchInvalid);
    await expect(codeOf(sut.validateLaunch({ id_token: ['a', 'b'], state: 'x' }, {}))).resolves.toBe(ErrorCode.LaunchInvalid);
  });

  it('uses a state once', async () => {
    const { state, nonce } = await login();
    const idToken = await sign(claims(nonce));
    await expect(codeOf(sut.validateLaunch({ id_token: idToken, state }, {}))).resolves.toBe('accepted');
    await expect(codeOf(sut.validateLaunch({ id_token: idToken, state }, {}))).resolves.toBe(ErrorCode.StateInvalid);
  });

  it('refuses a nonce used before, even under a fresh state', async () => {
    const { state, nonce } = await login();
    const idToken = await sign(claims(nonce));
    await sut.validateLaunch({ id_token: idToken, state }, {});
    const replayState = 'replayed-state';
    await states.saveState(replayState, { platformId: platform.id, nonce, targetLinkUri: `${FERRY}/lti/launch`, createdAt: Date.now() });
    await expect(codeOf(sut.validateLaunch({ id_token: idToken, state: replayState }, {}))).resolves.toBe(ErrorCode.NonceReused);
  });

  it('tells an expired state from an unknown one', async () => {
    const { state, nonce } = await login(Date.now() - (config.lti.stateTtlSeconds + 1) * 1000);
    const idToken = await sign(claims(nonce));
    await expect(codeOf(sut.validateLaunch({ id_token: idToken, state }, {}))).resolves.toBe(ErrorCode.StateExpired);
    expect(redis.values.has(ltiRedisKeys.state(state))).toBe(false);
  });

  it('binds the state to the browser when cookies arrive, and carries on when none do', async () => {
    const first = await login();
    const token = await sign(claims(first.nonce));
    const otherTabOnly = { [stateCookieName('another-state-entirely')]: 'another-state-entirely' };
    await expect(codeOf(sut.validateLaunch({ id_token: token, state: first.state }, otherTabOnly))).resolves.toBe(
      ErrorCode.StateCookieMismatch,
    );

    const second = await login();
    const both = { ...otherTabOnly, [stateCookieName(second.state)]: second.state, unrelated: 'x' };
    await expect(codeOf(sut.validateLaunch({ id_token: await sign(claims(second.nonce)), state: second.state }, both))).resolves.toBe(
      'accepted',
    );

    const third = await login();
    await expect(codeOf(sut.validateLaunch({ id_token: await sign(claims(third.nonce)), state: third.state }, {}))).resolves.toBe(
      'accepted',
    );
  });

  it('refuses launches from a platform deactivated since the login', async () => {
    const { state, nonce } = await login();
    platforms.current = { ...platform, status: 'inactive' } as Platform;
    await expect(codeOf(sut.validateLaunch({ id_token: await sign(claims(nonce)), state }, {}))).resolves.toBe(
      ErrorCode.PlatformInactive,
    );
  });

  it('consumes the state and reports the platform’s error when Moodle posts one', async () => {
    const { state } = await login();
    const error = await sut
      .validateLaunch({ error: 'login_required', error_description: 'Must be logged in', state }, {})
      .catch((caught: FerryError) => caught);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe(ErrorCode.PlatformError);
    expect((error as FerryError).message).toContain('login_required');
    expect((error as FerryError).message).toContain('Must be logged in');
    expect((error as FerryError).hint).toBeTruthy();
    expect(redis.values.has(ltiRedisKeys.state(state))).toBe(false);
  });
});
