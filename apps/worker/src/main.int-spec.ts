import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl, testRedisUrl, testStorageConnectionString } from '@ferry/testing';
import { freePort } from '../../../libs/transfers/src/testing/transfers-test-app';

const root = join(__dirname, '..', '..', '..');

/** `main.ts` as `node` runs it (TypeScript through swc-node, as `npm run dev` does), with only `env` for configuration. */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: join(root, 'tsconfig.json'), ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, stderr: () => stderr };
}

describe('the worker process (main.ts)', () => {
  it('exits with 1, naming every wrong variable, when the configuration is invalid', async () => {
    const main = startMain({ PUBLIC_URL: 'not a url' });
    await expect(main.exited).resolves.toBe(1);
    for (const variable of ['PUBLIC_URL', 'DATABASE_URL', 'ENCRYPTION_KEYS']) expect(main.stderr()).toContain(variable);
  }, 60_000);

  it('is healthy on its port once started, and stops with 0 on SIGTERM', async () => {
    const healthPort = await freePort();
    const main = startMain({
      NODE_ENV: 'test',
      PUBLIC_URL: 'http://localhost:3000',
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
      ENCRYPTION_KEYS: `main:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'error',
      WORKER_HEALTH_PORT: String(healthPort),
    });
    try {
      // The health listener answers once the application has started: nothing to await but the port.
      let health: Response | null = null;
      while (!health && main.child.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${healthPort}/healthz`).catch(() => null);
        if (!health) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);

      main.child.kill('SIGTERM');
      await expect(main.exited).resolves.toBe(0);
      expect(main.stderr()).toBe('');
    } finally {
      if (main.child.exitCode === null) main.child.kill('SIGKILL');
    }
  }, 60_000);
});
