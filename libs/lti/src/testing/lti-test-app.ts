import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import cookieParser from 'cookie-parser';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { createValidationPipe, HttpErrorFilter } from '@ferry/errors';
import { IdentityHttpModule, IdentityModule } from '@ferry/identity';
import { PlatformsModule, PlatformsService } from '@ferry/platforms';
import { REDIS, RedisModule } from '@ferry/redis';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { LtiHttpModule } from '../lti-http.module';
import { LtiModule } from '../lti.module';

export interface LtiTestApp {
  app: INestApplication;
  url: string;
  config: FerryConfig;
  dataSource: DataSource;
  redis: Redis;
  platforms: PlatformsService;
  /** Rows in users and launches, and launch codes in Redis: what a refused launch must not change. */
  writes(): Promise<{ users: number; launches: number; codes: number }>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
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
 * The LTI and session endpoints composed the way apps/api composes them (global filter, validation
 * pipe, cookie parser), on the test database and Redis, listening at http://localhost:<port>.
 */
export async function startLtiTestApp(overrides: Record<string, string> = {}): Promise<LtiTestApp> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const config = testConfig({ PUBLIC_URL: url, ...overrides });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())),
      RedisModule,
      CryptoModule,
      PlatformsModule,
      IdentityModule,
      IdentityHttpModule,
      LtiModule,
      LtiHttpModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  app.use(cookieParser());
  await app.listen(port, '127.0.0.1');

  const dataSource = app.get<DataSource>(getDataSourceToken());
  const redis = app.get<Redis>(REDIS);
  const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  return {
    app,
    url,
    config,
    dataSource,
    redis,
    platforms: app.get(PlatformsService),
    writes: async () => ({
      users: await count('users'),
      launches: await count('launches'),
      codes: (await redis.keys('ferry:launch-code:*')).length,
    }),
    close: () => app.close(),
  };
}
