import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { resolveSettings } from './emulator-settings';
import { PlatformKeyring } from './keys/platform-keyring';
import { moodleTraffic } from './moodle/moodle-traffic';
import { PlatformEmulator } from './platform-emulator';
import { PlatformEmulatorModule } from './platform-emulator.module';
import type { PlatformEmulatorOptions, RunningPlatformEmulator } from './platform-emulator.types';

/** Starts an emulated Moodle on `host:port` (port 0 = a free one) and resolves once it listens. */
export async function startPlatformEmulator(options: PlatformEmulatorOptions): Promise<RunningPlatformEmulator> {
  const settings = resolveSettings(options);
  const emulator = new PlatformEmulator(settings, await PlatformKeyring.create());
  const app = await NestFactory.create<NestExpressApplication>(PlatformEmulatorModule.forEmulator(emulator), {
    logger: false,
    bodyParser: false,
  });
  app.useBodyParser('urlencoded', { extended: false });
  app.useBodyParser('json');
  // AGS scores arrive as application/vnd.ims.lis.v1.score+json; Moodle json_decodes the raw body itself.
  app.useBodyParser('text', { type: 'application/vnd.ims.lis.v1.score+json' });
  app.use(cookieParser());
  app.use(moodleTraffic(emulator.moodle.site));
  await app.listen(options.port, settings.host);

  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  const hostInUrl = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  emulator.setSiteUrl(`http://${hostInUrl}:${port}`);
  const urls = emulator.urls;

  return {
    issuer: emulator.issuer,
    clientId: settings.clientId,
    url: emulator.url,
    authLoginUrl: urls.authLogin,
    accessTokenUrl: urls.token,
    jwksUrl: urls.certs,
    deploymentIds: settings.deployments.map((deployment) => deployment.id),
    users: settings.users,
    activities: emulator.activities,
    scores: emulator.scores,
    coursePageUrl: () => urls.course(settings.course.id),
    loginUrl: (username?: string) =>
      username === undefined
        ? urls.login
        : `${urls.login}?${new URLSearchParams({ username, password: 'password' })}`,
    buildLaunchClaims: (input) => emulator.buildLaunchClaims(input),
    signIdToken: (payload, signOptions) => emulator.signIdToken(payload, signOptions),
    rotateKey: () => emulator.keyring.rotate(),
    moodle: emulator.moodle.handle(),
    stop: async () => {
      server.closeAllConnections();
      await app.close();
    },
  };
}
