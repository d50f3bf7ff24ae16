// Test support: the transfers API composed the way apps/api composes it, on the test services.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { createValidationPipe, HttpErrorFilter } from '@ferry/errors';
import { IdentityModule, SessionTokenService } from '@ferry/identity';
import { RedisModule } from '@ferry/redis';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { TransfersHttpModule } from '../transfers-http.module';
import { TRANSFERS_QUEUE } from '../transfers.queue';

export interface TransfersTestApp {
  app: INestApplication;
  url: string;
  config: FerryConfig;
  dataSource: DataSource;
  queue: Queue;
  /** A bearer token for a session of this user with these roles. */
  sessionFor(owner: { platformId: string; userId: string }, roles?: Array<'admin' | 'instructor' | 'learner'>): Promise<string>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `catalog` provides COURSE_FILE_CATALOG: the real course file listing, or a stand-in. */
export async function startTransfersTestApp(catalog: Provider, overrides: Record<string, string> = {}): Promise<TransfersTestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = testConfig({ PUBLIC_URL: url, ...overrides });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())),
      RedisModule,
      CryptoModule,
      IdentityModule,
      TransfersHttpModule.forRoot({ catalog }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  await app.listen(port, '127.0.0.1');
  const sessions = app.get(SessionTokenService);
  return {
    app,
    url,
    config,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    queue: app.get<Queue>(getQueueToken(TRANSFERS_QUEUE)),
    sessionFor: async (owner, roles = ['admin']) =>
      (await sessions.issue({ userId: owner.userId, platformId: owner.platformId, launchId: '00000000-0000-0000-0000-000000000000', roles })).token,
    close: () => app.close(),
  };
}
