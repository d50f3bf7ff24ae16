// Test support: the course file API composed as apps/api composes it, on the test services, with
// the Moodle connection API beside it so a test connects an admin the way the SPA does.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { createValidationPipe, HttpErrorFilter } from '@ferry/errors';
import { IdentityModule, SessionTokenService } from '@ferry/identity';
import { MoodleOauthHttpModule } from '@ferry/moodle-oauth';
import { RedisModule } from '@ferry/redis';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { CourseFilesHttpModule } from '../course-files-http.module';

export interface CourseFilesTestApp {
  url: string;
  dataSource: DataSource;
  sessionFor(owner: { platformId: string; userId: string; launchId?: string }, roles?: Array<'admin' | 'instructor' | 'learner'>): Promise<string>;
  close(): Promise<void>;
}

export async function startCourseFilesTestApp(): Promise<CourseFilesTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' })),
      TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())),
      RedisModule,
      CryptoModule,
      IdentityModule,
      MoodleOauthHttpModule,
      CourseFilesHttpModule,
    ],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  await app.listen(0, '127.0.0.1');
  const sessions = app.get(SessionTokenService);
  return {
    url: await app.getUrl().then((url) => url.replace('[::1]', '127.0.0.1')),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    sessionFor: async (owner, roles = ['admin']) =>
      (await sessions.issue({ userId: owner.userId, platformId: owner.platformId, launchId: owner.launchId ?? '00000000-0000-0000-0000-000000000000', roles })).token,
    close: () => app.close(),
  };
}
