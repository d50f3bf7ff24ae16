import type { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, FerryError } from '@ferry/errors';
import type { Platform, PlatformsService } from '@ferry/platforms';
import { testConfig } from '@ferry/testing';
import { LtiStateStore, ltiRedisKeys } from '../lti-state.store';
import { OidcLoginService, parseLoginInitiation } from './oidc-login.service';

const FERRY = 'https://ferry.example.edu';
const config = testConfig({ PUBLIC_URL: FERRY });
const platform = {
  id: 'p1',
  issuer: 'https://moodle.example.edu',
  clientId: 'client-1',
  authLoginUrl: 'https://moodle.example.edu/mod/lti/auth.php?tenant=a',
  status: 'active',
} as Platform;

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof FerryError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe(OidcLoginService.name, () => {
  let stored: Map<string, string>;
  let current: Platform | null;
  let sut: OidcLoginService;
  const moodleHint = '{"cmid":3,"launchid":"ltilaunch1_252550933","note":"a+b c&d=é"}';
  const login = {
    iss: platform.issuer,
    login_hint: '2',
    target_link_uri: `${FERRY}/lti/launch`,
    lti_message_hint: moodleHint,
    client_id: 'client-1',
    lti_deployment_id: '1',
  };

  beforeEach(() => {
    stored = new Map();
    current = platform;
    const redis = { set: async (key: string, value: string) => stored.set(key, value) } as unknown as Redis;
    const platforms = { findForLogin: async () => current } as unknown as PlatformsService;
    sut = new OidcLoginService(config, platforms, new LtiStateStore(redis, config));
  });

  it('redirects to the platform with exactly the OIDC authentication request, keeping its query', async () => {
    const { url, stateCookie } = await sut.startLogin(login);
    const location = new URL(url);
    expect(location.origin + location.pathname).toBe('https://moodle.example.edu/mod/lti/auth.php');
    const params = Object.fromEntries(location.searchParams);
    expect(Object.keys(params).sort()).toEqual(
      ['client_id', 'login_hint', 'lti_message_hint', 'nonce', 'prompt', 'redirect_uri', 'response_mode', 'response_type', 'scope', 'state', 'tenant'].sort(),
    );
    expect(params).toMatchObject({
      tenant: 'a',
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'client-1',
      redirect_uri: `${FERRY}/lti/launch`,
      login_hint: '2',
      lti_message_hint: moodleHint,
    });
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.state).not.toBe(params.nonce);
    expect(stateCookie).toEqual({ name: `ferry_lti_state_${params.state.slice(0, 16)}`, value: params.state, maxAgeSeconds: 600 });
    expect(JSON.parse(stored.get(ltiRedisKeys.state(params.state)) as string)).toMatchObject({
      platformId: 'p1',
      nonce: params.nonce,
      targetLinkUri: `${FERRY}/lti/launch`,
    });
  });

  it('leaves lti_message_hint out when the platform sent none', async () => {
    const { lti_message_hint: _hint, ...rest } = login;
    const { url } = await sut.startLogin(rest);
    expect(new URL(url).searchParams.has('lti_message_hint')).toBe(false);
  });

  it('refuses unknown and inactive platforms and foreign target_link_uri, storing nothing', async () => {
    await expect(codeOf(sut.startLogin({ ...login, target_link_uri: 'https://evil.example.com/lti/launch' }))).resolves.toBe(
      ErrorCode.TargetLinkUriInvalid,
    );
    await expect(codeOf(sut.startLogin({ ...login, target_link_uri: 'not a url' }))).resolves.toBe(ErrorCode.TargetLinkUriInvalid);
    current = { ...platform, status: 'inactive' } as Platform;
    await expect(codeOf(sut.startLogin(login))).resolves.toBe(ErrorCode.PlatformInactive);
    current = null;
    await expect(codeOf(sut.startLogin(login))).resolves.toBe(ErrorCode.UnknownPlatform);
    expect(stored.size).toBe(0);
  });
});

describe(parseLoginInitiation.name, () => {
  it('needs iss, login_hint and target_link_uri, each once', async () => {
    const valid = { iss: 'https://moodle', login_hint: '2', target_link_uri: 'https://ferry/lti/launch' };
    expect(parseLoginInitiation({ ...valid, extra: 'ignored', client_id: '' })).toEqual(valid);
    for (const name of Object.keys(valid)) {
      await expect(codeOf(() => parseLoginInitiation({ ...valid, [name]: undefined }))).resolves.toBe(ErrorCode.LoginInvalid);
    }
    await expect(codeOf(() => parseLoginInitiation({ ...valid, iss: ['a', 'b'] }))).resolves.toBe(ErrorCode.LoginInvalid);
  });
});
