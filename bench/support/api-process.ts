import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import type { RunningPlatformEmulator } from '@ferry/platform-emulator';
import { bundleOf, ensureProductionBuild, startNodeOptions } from './production-build';

export interface ApiProcess {
  url: string;
  operatorToken: string;
  pid: number;
  stop(): Promise<void>;
}

const root = join(__dirname, '..', '..');

async function recreateDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/**
 * Runs the api as its own process, built and started as in production (`npm run start:api`), on a
 * fresh database, so the bench's own work (signing tokens, the HTTP client) does not share its
 * event loop.
 */
export async function startApiProcess(port: number, extraEnv: Record<string, string> = {}): Promise<ApiProcess> {
  const databaseUrl = await recreateDatabase('ferry_bench');
  const operatorToken = randomBytes(32).toString('base64url');
  ensureProductionBuild('api');
  const nodeArgs = [...startNodeOptions('api'), ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, bundleOf('api')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ALLOW_INSECURE_PLATFORM_URLS: 'true',
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:6379/11',
      AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      OPERATOR_TOKEN: operatorToken,
      ...extraEnv,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api exited with code ${child.exitCode}`);
    const up = await fetch(`${url}/.well-known/jwks.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error('the api did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    operatorToken,
    pid: child.pid as number,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Registers the emulated Moodle through the operator API, as an operator would; its platform id. */
export async function registerPlatform(api: ApiProcess, emulator: RunningPlatformEmulator): Promise<string> {
  const registered = await fetch(`${api.url}/api/platforms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Bench Moodle',
      issuer: emulator.issuer,
      clientId: emulator.clientId,
      authLoginUrl: emulator.authLoginUrl,
      accessTokenUrl: emulator.accessTokenUrl,
      jwksUrl: emulator.jwksUrl,
      deploymentIds: emulator.deploymentIds,
    }),
  });
  if (registered.status !== 201) throw new Error(`registering the platform failed: ${registered.status}`);
  return ((await registered.json()) as { id: string }).id;
}
