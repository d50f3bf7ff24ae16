import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PlatformsService } from '@ferry/platforms';
import {
  startPlatformEmulator,
  type PlatformEmulatorOptions,
  type RunningPlatformEmulator,
} from '@ferry/platform-emulator';
import { testConfig } from '@ferry/testing';
import { createApiApp } from '../../apps/api/src/api-app';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';

export interface FerryStack {
  app: NestExpressApplication;
  publicUrl: string;
  platform: RunningPlatformEmulator;
  /** The transfer worker as production composes it, when the stack was asked for one. */
  worker: RunningWorker | null;
  /** Saves a Moodle's connection settings as the operator does (PUT /api/platforms/:id/moodle-settings). */
  configureMoodle(emulator: RunningPlatformEmulator, settings?: Record<string, unknown>): Promise<void>;
  /** Starts another Moodle (another issuer) registered in this Ferry. */
  addPlatform(options?: Partial<PlatformEmulatorOptions>): Promise<RunningPlatformEmulator>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The api exactly as production builds it (migrations applied by the global setup), listening on
 * http://localhost:<port>, with the platform emulator on http://127.0.0.1:<port> as its Moodle:
 * another site, so the iframe is a real third-party context.
 */
export async function startFerryStack(
  overrides: Record<string, string> = {},
  emulatorOptions: Partial<PlatformEmulatorOptions> = {},
  options: { worker?: boolean } = {},
): Promise<FerryStack> {
  const port = await freePort();
  const publicUrl = `http://localhost:${port}`;
  const config = testConfig({ PUBLIC_URL: publicUrl, PORT: String(port), WORKER_HEALTH_PORT: '0', ...overrides });
  const app = await createApiApp(config, { migrate: false });
  await app.listen(port, '127.0.0.1');
  const worker = options.worker ? await startWorker(config) : null;
  const platforms = app.get(PlatformsService);
  const emulators: RunningPlatformEmulator[] = [];

  const addPlatform = async (options: Partial<PlatformEmulatorOptions> = {}) => {
    const emulator = await startPlatformEmulator({
      port: 0,
      tool: {
        loginUrl: `${publicUrl}/lti/login`,
        launchUrl: `${publicUrl}/lti/launch`,
        jwksUrl: `${publicUrl}/.well-known/jwks.json`,
      },
      ...options,
    });
    emulators.push(emulator);
    await platforms.create({
      name: `Moodle at ${emulator.issuer}`,
      issuer: emulator.issuer,
      clientId: emulator.clientId,
      authLoginUrl: emulator.authLoginUrl,
      accessTokenUrl: emulator.accessTokenUrl,
      jwksUrl: emulator.jwksUrl,
      deploymentIds: emulator.deploymentIds,
    });
    return emulator;
  };

  const configureMoodle = async (emulator: RunningPlatformEmulator, settings: Record<string, unknown> = { moodleUrl: emulator.url, method: 'wstoken' }) => {
    const registered = await platforms.findByIssuerAndClientId(emulator.issuer, emulator.clientId);
    const response = await fetch(`${publicUrl}/api/platforms/${registered!.id}/moodle-settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${config.operator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (response.status !== 200) throw new Error(`saving the Moodle settings answered ${response.status}: ${await response.text()}`);
  };

  const platform = await addPlatform(emulatorOptions);
  return {
    app,
    publicUrl,
    platform,
    worker,
    configureMoodle,
    addPlatform,
    stop: async () => {
      await worker?.stop();
      await Promise.all(emulators.map((emulator) => emulator.stop()));
      await app.close();
    },
  };
}
