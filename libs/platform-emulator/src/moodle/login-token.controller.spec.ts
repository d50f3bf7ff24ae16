import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformEmulator } from '../platform-emulator.types';
import { startPlatformEmulator } from '../start-platform-emulator';

const TOOL = { loginUrl: 'http://tool.example/lti/login', launchUrl: 'http://tool.example/lti/launch', jwksUrl: 'http://tool.example/jwks' };

const moodleError = (errorcode: string, error: string) => ({ error, errorcode, stacktrace: null, debuginfo: null, reproductionlink: null });

describe('emulated login/token.php', () => {
  let sut: RunningPlatformEmulator;
  let noMobile: RunningPlatformEmulator;

  beforeAll(async () => {
    [sut, noMobile] = await Promise.all([
      startPlatformEmulator({ port: 0, tool: TOOL }),
      startPlatformEmulator({ port: 0, tool: TOOL, moodle: { mobileServiceEnabled: false } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sut?.stop(), noMobile?.stop()]);
  });
  afterEach(() => sut.moodle.fault(null));

  async function requestToken(fields: Record<string, string>, emulator = sut) {
    const response = await fetch(emulator.moodle.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('trades a username and password for the user’s mobile service token, the same one each time', async () => {
    const first = await requestToken({ username: 'Teacher1', password: 'password', service: 'moodle_mobile_app' });
    const second = await requestToken({ username: 'teacher1', password: 'password', service: 'moodle_mobile_app' });

    expect(first).toEqual({ status: 200, body: { token: expect.stringMatching(/^[a-f0-9]{32}$/), privatetoken: null } });
    expect(second.body.token).toBe(first.body.token);
    const info = await fetch(sut.moodle.wsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wstoken: String(first.body.token), wsfunction: 'core_webservice_get_site_info', moodlewsrestformat: 'json' }),
    });
    await expect(info.json()).resolves.toMatchObject({ userid: 4, username: 'teacher1' });
  });

  it('answers a wrong password with invalidlogin', async () => {
    await expect(requestToken({ username: 'admin', password: 'nope', service: 'moodle_mobile_app' })).resolves.toEqual({
      status: 200,
      body: moodleError('invalidlogin', 'Invalid login, please try again'),
    });
  });

  it('answers an unknown service, or a disabled mobile service, with servicenotavailable', async () => {
    const expected = { body: moodleError('servicenotavailable', "Web service is not available (it doesn't exist or might be disabled)") };
    await expect(requestToken({ username: 'admin', password: 'password', service: 'nope' })).resolves.toMatchObject(expected);
    await expect(requestToken({ username: 'admin', password: 'password', service: 'moodle_mobile_app' }, noMobile)).resolves.toMatchObject(expected);
  });

  it('hands out a token an admin created for another service', async () => {
    const token = sut.moodle.createToken('student1', { service: 'ferry' });
    await expect(requestToken({ username: 'student1', password: 'password', service: 'ferry' })).resolves.toMatchObject({ body: { token } });
  });

  it('answers with enablewsdescription when web services are off, sitemaintenance in maintenance', async () => {
    sut.moodle.fault({ kind: 'ws_disabled' });
    await expect(requestToken({ username: 'admin', password: 'password', service: 'moodle_mobile_app' })).resolves.toMatchObject({
      body: moodleError('enablewsdescription', 'Web services must be enabled in Advanced features.'),
    });
    sut.moodle.fault({ kind: 'maintenance' });
    await expect(requestToken({ username: 'admin', password: 'password', service: 'moodle_mobile_app' })).resolves.toMatchObject({ body: { errorcode: 'sitemaintenance' } });
  });

  it('names a missing parameter', async () => {
    await expect(requestToken({ username: 'admin', password: 'password' })).resolves.toMatchObject({
      body: moodleError('missingparam', 'A required parameter (service) was missing'),
    });
  });
});
