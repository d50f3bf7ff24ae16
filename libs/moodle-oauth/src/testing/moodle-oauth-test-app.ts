// Test support: the Moodle connection API composed as apps/api composes it, on the test services.
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
import { IdentityModule, SessionTokenService } from '@ferry/identity';
import { REDIS, RedisModule } from '@ferry/redis';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { MoodleConnectionsService } from '../connections/moodle-connections.service';
import { MoodleOauthHttpModule } from '../moodle-oauth-http.module';

export interface MoodleOauthTestApp {
  app: INestApplication;
  url: string;
  config: FerryConfig;
  dataSource: DataSource;
  redis: Redis;
  connections: MoodleConnectionsService;
  sessionFor(owner: { platformId: string; userId: string }, roles?: Array<'admin' | 'instructor' | 'learner'>): Promise<string>;
  close(): Promise<void>;
}

/** Starts on `port` (the emulator's OAuth client must know Ferry's callback before Ferry listens). */
export async function startMoodleOauthTestApp(port: number): Promise<MoodleOauthTestApp> {
  const url = `http://127.0.0.1:${port}`;
  const config = testConfig({ PUBLIC_URL: url });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())), RedisModule, CryptoModule, IdentityModule, MoodleOauthHttpModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.use(cookieParser());
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  await app.listen(port, '127.0.0.1');
  const sessions = app.get(SessionTokenService);
  return {
    app,
    url,
    config,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    redis: app.get<Redis>(REDIS),
    connections: app.get(MoodleConnectionsService),
    sessionFor: async (owner, roles = ['admin']) =>
      (await sessions.issue({ userId: owner.userId, platformId: owner.platformId, launchId: '00000000-0000-0000-0000-000000000000', roles })).token,
    close: () => app.close(),
  };
}

/** A tiny cookie jar for driving the popup's redirects by hand: one per browser. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.header() } });
    this.store(response);
    return response;
  }
}
