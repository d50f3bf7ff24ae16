import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TEST_AZURITE_PORT } from '@ferry/testing';

const root = join(__dirname, '..');
const DATABASE = 'ferry_compose_test';

interface ComposeService {
  command: string[];
  environment: Record<string, string>;
}

/** docker compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, from the operator's .env. */
function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const set = dotenv[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`docker compose would stop: ${rest}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/**
 * The api and the worker as docker-compose.yml starts them (the Dockerfile's build, each service's
 * command and environment), on this machine's PostgreSQL, Redis and Azurite in place of the
 * compose services: the wiring an operator gets, tested without Docker.
 */
function composeServices(dotenv: Record<string, string>): Record<'api' | 'worker', ComposeService> {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  const local = (environment: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(environment).map(([name, raw]) => [
        name,
        interpolate(String(raw), dotenv)
          .replace('@postgres:5432/ferry', `@127.0.0.1:5432/${DATABASE}`)
          .replace('redis://redis:6379', 'redis://127.0.0.1:6379/14')
          .replace('http://azurite:10000', `http://127.0.0.1:${TEST_AZURITE_PORT}`),
      ]),
    );
  const { api, worker } = compose.services;
  return { api: { ...api, environment: local(api.environment) }, worker: { ...worker, environment: local(worker.environment) } };
}

async function freshDatabaseOwnedByFerry(): Promise<void> {
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await admin.query(`DO $$ BEGIN CREATE ROLE ferry LOGIN PASSWORD 'ferry'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${DATABASE}" OWNER ferry`);
  } finally {
    await admin.end();
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

function start(service: ComposeService, extraEnv: Record<string, string>): Started {
  const [command, ...args] = service.command;
  const child = spawn(command === 'node' ? process.execPath : command, args, { cwd: root, env: { PATH: process.env.PATH ?? '', ...service.environment, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Resolves with the first /healthz answer; the processes print when they are up, but health is what compose waits for. */
async function healthOf(url: string, process: Started, timeoutMs = 60_000): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.child.exitCode !== null) throw new Error(`exited with ${process.child.exitCode}:\n${process.output()}`);
    const answer = await fetch(url).then(
      async (response) => ({ status: response.status, body: await response.json() }),
      () => null,
    );
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`no answer at ${url}:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const freePort = async () => {
  const { createServer } = await import('node:net');
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
};

describe('docker compose’s api and worker, without Docker', () => {
  const running: Started[] = [];
  let services: ReturnType<typeof composeServices>;

  beforeAll(async () => {
    for (const app of ['api', 'worker']) {
      const build = spawnSync(process.execPath, [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', app], { cwd: root, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`nest build ${app} failed:\n${build.stdout}${build.stderr}`);
    }
    await freshDatabaseOwnedByFerry();
    services = composeServices({
      PUBLIC_URL: 'http://127.0.0.1:3000',
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      OPERATOR_TOKEN: randomBytes(32).toString('base64url'),
      ALLOW_INSECURE_PLATFORM_URLS: 'true',
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(running.map((process) => process.stop()));
  });

  it('refuses to start without the settings compose asks the operator for', () => {
    expect(() => composeServices({})).toThrow(/set PUBLIC_URL in \.env/);
  });

  it('starts two api replicas at once on an empty database: both migrate it under the lock and report healthy', async () => {
    const ports = [await freePort(), await freePort()];
    const replicas = ports.map((port) => start(services.api, { PORT: String(port) }));
    running.push(...replicas);
    const answers = await Promise.all(ports.map((port, index) => healthOf(`http://127.0.0.1:${port}/healthz`, replicas[index])));
    for (const answer of answers) expect(answer).toEqual({ status: 200, body: { ok: true, checks: { database: 'up', redis: 'up', storage: 'up' } } });

    const db = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}` });
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string }>('SELECT name FROM migrations');
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
    } finally {
      await db.end();
    }
    const jwks = await fetch(`http://127.0.0.1:${ports[0]}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
  });

  it('starts the worker, healthy on its health port, and stops it cleanly on SIGTERM', async () => {
    const healthPort = await freePort();
    const worker = start(services.worker, { WORKER_HEALTH_PORT: String(healthPort) });
    running.push(worker);
    await expect(healthOf(`http://127.0.0.1:${healthPort}/healthz`, worker)).resolves.toEqual({
      status: 200,
      body: { ok: true, checks: { database: 'up', redis: 'up', storage: 'up' } },
    });
    await expect(worker.stop()).resolves.toBe(0);
  });
});
