/**
 * `npm run dev`: Ferry with embedded defaults on a fresh machine. Starts what is not configured
 * (embedded PostgreSQL, Azurite, a local redis-server), the platform emulator as a demo Moodle,
 * then the api, the worker and the SPA build in watch mode, and registers the demo Moodle in Ferry.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { startPlatformEmulator } from '@ferry/platform-emulator';
// Dev-only tools, imported by path: the production bundle must not pull in their packages.
import { startAzurite } from '../libs/azure-storage/src/azurite';
import { startEmbeddedPostgres } from '../libs/database/src/embedded-postgres';

const root = resolve(__dirname, '..');
const env = process.env;
const dataDir = resolve(root, env.FERRY_DATA_DIR ?? '.data');
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

function say(message: string): void {
  process.stdout.write(`[ferry dev] ${message}\n`);
}

/** A value generated once and kept in the data folder, so restarts keep sessions and secrets readable. */
function persistentValue(file: string, generate: () => string): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = generate();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function ensureRedis(): Promise<string> {
  if (env.REDIS_URL) return env.REDIS_URL;
  const url = 'redis://127.0.0.1:6379';
  if (await redisAnswers(url)) return url;
  const redisDir = join(dataDir, 'redis');
  mkdirSync(redisDir, { recursive: true });
  const server = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--dir', redisDir], {
    stdio: 'ignore',
  });
  const started = await new Promise<boolean>((done) => {
    server.once('error', () => done(false));
    const poll = setInterval(async () => {
      if (await redisAnswers(url)) {
        clearInterval(poll);
        done(true);
      }
    }, 200);
    setTimeout(() => {
      clearInterval(poll);
      done(false);
    }, 10_000);
  });
  if (!started) {
    throw new Error(
      'Ferry needs Redis. Set REDIS_URL to a running Redis, or install redis-server (Debian: apt-get install redis-server) and run npm run dev again.',
    );
  }
  children.push(server);
  return url;
}

function run(name: string, command: string, args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  children.push(child);
  return child;
}

async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const healthy = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((done) => setTimeout(done, 300));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s`);
}

async function shutdown(code: number): Promise<never> {
  for (const child of children) child.kill('SIGTERM');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const port = Number(env.PORT ?? 3000);
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`;

  const redisUrl = await ensureRedis();
  say(`Redis: ${redisUrl}`);

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const database = await startEmbeddedPostgres(dataDir, Number(env.FERRY_DEV_POSTGRES_PORT ?? 54329));
    cleanups.push(database.stop);
    databaseUrl = database.url;
    say(`embedded PostgreSQL: ${databaseUrl} (data in ${join(dataDir, 'postgres')})`);
  }

  let storage = env.AZURE_STORAGE_CONNECTION_STRING;
  if (!storage && !env.AZURE_STORAGE_ACCOUNT) {
    const azurite = await startAzurite({ port: Number(env.FERRY_DEV_AZURITE_PORT ?? 10000), location: join(dataDir, 'azurite') });
    cleanups.push(azurite.stop);
    storage = azurite.connectionString;
    say('Azurite (blob) started');
  }

  const operatorToken = env.OPERATOR_TOKEN ?? persistentValue('operator-token', () => randomBytes(32).toString('base64url'));
  const encryptionKeys =
    env.ENCRYPTION_KEYS ?? persistentValue('encryption-keys', () => `dev1:${randomBytes(32).toString('base64')}`);

  const emulator = await startPlatformEmulator({
    port: Number(env.FERRY_DEV_MOODLE_PORT ?? 8088),
    tool: {
      loginUrl: `${publicUrl}/lti/login`,
      launchUrl: `${publicUrl}/lti/launch`,
      jwksUrl: `${publicUrl}/.well-known/jwks.json`,
    },
  });
  cleanups.push(emulator.stop);
  say(`demo Moodle (platform emulator): ${emulator.url}`);

  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: env.NODE_ENV ?? 'development',
    PUBLIC_URL: publicUrl,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    AZURE_STORAGE_CONNECTION_STRING: storage,
    ENCRYPTION_KEYS: encryptionKeys,
    OPERATOR_TOKEN: operatorToken,
    ALLOW_INSECURE_PLATFORM_URLS: env.ALLOW_INSECURE_PLATFORM_URLS ?? 'true',
    SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
  };

  run('web', process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--watch', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], childEnv);
  const node = [process.execPath, '--watch', '--watch-preserve-output', '-r', '@swc-node/register'];
  const api = run('api', node[0], [...node.slice(1), 'apps/api/src/main.ts'], childEnv);
  run('worker', node[0], [...node.slice(1), 'apps/worker/src/main.ts'], childEnv);
  api.once('exit', (code) => code && say(`the api exited with code ${code}`));

  await waitForHealthy(`http://127.0.0.1:${port}/healthz`, 120_000);
  const registered = await fetch(`http://127.0.0.1:${port}/api/platforms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Demo Moodle',
      issuer: emulator.issuer,
      clientId: emulator.clientId,
      authLoginUrl: emulator.authLoginUrl,
      accessTokenUrl: emulator.accessTokenUrl,
      jwksUrl: emulator.jwksUrl,
      deploymentIds: emulator.deploymentIds,
    }),
  });
  if (registered.status !== 201 && registered.status !== 409) {
    throw new Error(`Registering the demo Moodle failed: ${registered.status} ${await registered.text()}`);
  }

  say('Ferry is running.');
  say(`  Ferry:        ${publicUrl}  (health: ${publicUrl}/healthz)`);
  say(`  Demo course:  ${emulator.coursePageUrl()}`);
  const logins = emulator.users.map((user) => `${user.username} (${user.role})`).join(', ');
  say(`  Log in as:    ${logins}, password "password", at ${emulator.loginUrl()}`);
  say(`  One click:    ${emulator.loginUrl(emulator.users[0].username)}`);
  say(`  Operator API: Authorization: Bearer <the token in ${join(dataDir, 'operator-token')}>`);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch((error: unknown) => {
  process.stderr.write(`[ferry dev] ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
