import type { RunningPlatformEmulator } from '@ferry/platform-emulator';

/** One real LTI launch of the emulator's admin into Ferry (login → signed id_token → launch → session): their session token. */
export async function launchAdminSession(apiUrl: string, emulator: RunningPlatformEmulator): Promise<string> {
  const admin = emulator.users.find((user) => user.role === 'admin') ?? emulator.users[0];
  const login = await fetch(`${apiUrl}/lti/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      iss: emulator.issuer,
      login_hint: admin.id,
      target_link_uri: `${apiUrl}/lti/launch`,
      lti_message_hint: JSON.stringify({ cmid: 3, launchid: 'ltilaunch1_bench' }),
      client_id: emulator.clientId,
      lti_deployment_id: emulator.deploymentIds[0],
    }).toString(),
  });
  const redirect = new URL(login.headers.get('location') ?? '');
  const claims = emulator.buildLaunchClaims({ user: admin, nonce: redirect.searchParams.get('nonce') ?? '' });
  const launch = await fetch(`${apiUrl}/lti/launch`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ id_token: await emulator.signIdToken(claims), state: redirect.searchParams.get('state') ?? '' }).toString(),
  });
  if (launch.status !== 303) throw new Error(`the admin launch answered ${launch.status}: ${await launch.text()}`);
  const code = new URL(launch.headers.get('location') ?? '').hash.replace('#code=', '');
  const session = await fetch(`${apiUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  if (!session.ok) throw new Error(`the session answered ${session.status}`);
  return ((await session.json()) as { token: string }).token;
}
