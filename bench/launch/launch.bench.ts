/**
 * bench/launch: complete LTI launches (login → signed id_token → launch → session) against the api
 * running with its real PostgreSQL and Redis, at 1, 16 and 64 concurrent. The bench signs the
 * id_tokens itself; signing is kept out of the latency figures, which are Ferry's side only.
 * Target (DESIGN.md): ≥ 400 launches/s with p99 < 150 ms at 64 concurrent on the 2-core machine.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startPlatformEmulator } from '@ferry/platform-emulator';
import { registerPlatform, startApiProcess } from '../support/api-process';
import { createHttpClient, percentile } from '../support/http';

const LEVELS = (process.env.BENCH_LAUNCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const LAUNCHES_PER_LEVEL = Number(process.env.BENCH_LAUNCHES ?? 2000);
const WARMUP_LAUNCHES = 200;
const API_PORT = Number(process.env.BENCH_API_PORT ?? 3310);

export async function runLaunchBench(): Promise<void> {
  await new Redis('redis://127.0.0.1:6379/6').flushdb().finally(() => undefined);
  const api = await startApiProcess(API_PORT);
  const emulator = await startPlatformEmulator({
    port: 0,
    tool: { loginUrl: `${api.url}/lti/login`, launchUrl: `${api.url}/lti/launch`, jwksUrl: `${api.url}/.well-known/jwks.json` },
  });
  try {
    await registerPlatform(api, emulator);

    const learner = emulator.users.find((user) => user.role === 'learner') ?? emulator.users[0];
    let sequence = 0;

    async function launchOnce(client: ReturnType<typeof createHttpClient>): Promise<number> {
      const n = sequence++;
      const form = new URLSearchParams({
        iss: emulator.issuer,
        login_hint: learner.id,
        target_link_uri: `${api.url}/lti/launch`,
        lti_message_hint: JSON.stringify({ cmid: 3, launchid: `ltilaunch1_${n}` }),
        client_id: emulator.clientId,
        lti_deployment_id: emulator.deploymentIds[0],
      }).toString();
      const t0 = performance.now();
      const login = await client.send('POST', '/lti/login', {
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const loginMs = performance.now() - t0;
      if (login.status !== 302) throw new Error(`login answered ${login.status}: ${login.body.slice(0, 200)}`);
      const redirect = new URL(String(login.headers.location));
      const state = redirect.searchParams.get('state') as string;
      const nonce = redirect.searchParams.get('nonce') as string;

      // Outside the timing: what Moodle does between Ferry's two steps.
      const claims = emulator.buildLaunchClaims({ user: learner, nonce });
      claims.sub = `bench-user-${n % 1000}`;
      const idToken = await emulator.signIdToken(claims);

      const t1 = performance.now();
      const launch = await client.send('POST', '/lti/launch', {
        body: new URLSearchParams({ id_token: idToken, state }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
      if (launch.status !== 303) throw new Error(`launch answered ${launch.status}: ${launch.body.slice(0, 300)}`);
      const code = new URL(String(launch.headers.location)).hash.replace('#code=', '');
      const session = await client.send('POST', '/api/session', {
        body: JSON.stringify({ code }),
        headers: { 'content-type': 'application/json' },
      });
      if (session.status !== 200 && session.status !== 201) throw new Error(`session answered ${session.status}`);
      return loginMs + (performance.now() - t1);
    }

    async function runLevel(concurrency: number, total: number) {
      const client = createHttpClient(api.url, concurrency);
      const latencies: number[] = [];
      let remaining = total;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (remaining > 0) {
            remaining -= 1;
            latencies.push(await launchOnce(client));
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      client.close();
      latencies.sort((a, b) => a - b);
      return { launchesPerSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    }

    await runLevel(8, WARMUP_LAUNCHES);
    process.stdout.write(`bench/launch: ${LAUNCHES_PER_LEVEL} complete launches per level (api pid ${api.pid})\n`);
    process.stdout.write('concurrency  launches/s  p50 ms (Ferry)  p99 ms (Ferry)\n');
    for (const concurrency of LEVELS) {
      const result = await runLevel(concurrency, LAUNCHES_PER_LEVEL);
      process.stdout.write(
        `${String(concurrency).padStart(11)}  ${result.launchesPerSecond.toFixed(0).padStart(10)}  ${result.p50
          .toFixed(1)
          .padStart(14)}  ${result.p99.toFixed(1).padStart(14)}\n`,
      );
    }
    process.stdout.write('target: ≥ 400 launches/s and p99 < 150 ms at 64 concurrent (launches/s includes the bench signing tokens on the same 2 cores)\n');
  } finally {
    await emulator.stop();
    await api.stop();
  }
}
