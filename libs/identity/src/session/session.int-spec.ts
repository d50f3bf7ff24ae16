import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigModule } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { createValidationPipe, HttpErrorFilter } from '@ferry/errors';
import { PlatformsModule, PlatformsService } from '@ferry/platforms';
import { REDIS, RedisModule } from '@ferry/redis';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { IdentityHttpModule } from '../identity-http.module';
import { IdentityModule } from '../identity.module';
import { LtiClaim, mapLaunchClaims } from '../launches/launch-claims';
import { launchCodeKey } from '../launches/launch-codes';
import { LaunchRecorder } from '../launches/launch-recorder.service';

function fixturePayload(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '../launches/fixtures', `${name}.decoded.json`), 'utf8')).payload;
}

describe('POST /api/session and GET /api/me', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let redis: Redis;
  let recorder: LaunchRecorder;
  let platform: { id: string; name: string; issuer: string; deployments: Array<{ id: string; deploymentId: string }> };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig()),
        TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())),
        RedisModule,
        CryptoModule,
        PlatformsModule,
        IdentityModule,
        IdentityHttpModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
    dataSource = app.get<DataSource>(getDataSourceToken());
    redis = app.get<Redis>(REDIS);
    recorder = app.get(LaunchRecorder);
    platform = (await app.get(PlatformsService).create({
      name: 'Moodle LTI Peer',
      issuer: `http://moodle-${randomUUID()}.example`,
      clientId: 'Gyg39EMMRRzRyuO',
      authLoginUrl: 'http://127.0.0.1:8088/mod/lti/auth.php',
      accessTokenUrl: 'http://127.0.0.1:8088/mod/lti/token.php',
      jwksUrl: 'http://127.0.0.1:8088/mod/lti/certs.php',
      deploymentIds: ['1'],
    })) as unknown as typeof platform;
  });
  afterAll(() => app?.close());

  async function recordFixtureLaunch(name = 'launch-resource-link-admin', edit: (payload: Record<string, unknown>) => void = () => {}) {
    const payload = fixturePayload(name);
    edit(payload);
    return recorder.recordLaunch({
      platformId: platform.id,
      deploymentId: platform.deployments[0].id,
      claims: mapLaunchClaims(payload),
      payload,
    });
  }

  const redeem = (code: unknown) => request(app.getHttpServer()).post('/api/session').set('accept', 'application/json').send({ code });

  it('trades a launch code for a session in the contract shape', async () => {
    const { code, launchId, userId } = await recordFixtureLaunch();
    const res = await redeem(code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      user: { id: userId, name: 'Admin User', email: 'admin@example.com', roles: ['admin', 'instructor'], locale: 'en' },
      platform: { id: platform.id, name: 'Moodle LTI Peer', issuer: platform.issuer },
      context: { id: '2', label: 'TRANSFER101', title: 'Transfer 101' },
      resourceLink: { id: '1', title: 'LTI Transfer activity' },
      activityId: null,
    });
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    const [launch] = await dataSource.query('SELECT roles, lti_roles, claims FROM launches WHERE id = $1', [launchId]);
    expect(launch.roles).toEqual(['admin', 'instructor']);
    expect(launch.claims).toEqual(fixturePayload('launch-resource-link-admin'));
  });

  it('answers context and resource link as null when the launch had none', async () => {
    const { code } = await recordFixtureLaunch('launch-deep-linking', (payload) => delete payload[LtiClaim.Context]);
    const res = await redeem(code);
    expect(res.body).toMatchObject({ context: null, resourceLink: null });
  });

  it('accepts a code once', async () => {
    const { code } = await recordFixtureLaunch();
    await expect(redeem(code).then((res) => res.status)).resolves.toBe(200);
    const second = await redeem(code);
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe('launch_code_invalid');
  });

  it('lets a code live 60 seconds and refuses it once expired', async () => {
    const { code } = await recordFixtureLaunch();
    const ttl = await redis.ttl(launchCodeKey(code));
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    await redis.pexpireat(launchCodeKey(code), 1);
    const res = await redeem(code);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('launch_code_invalid');
  });

  it('refuses unknown codes and validates the body', async () => {
    await expect(redeem('made-up').then((res) => res.body.error.code)).resolves.toBe('launch_code_invalid');
    const empty = await request(app.getHttpServer()).post('/api/session').set('accept', 'application/json').send({});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
    await expect(redeem(42).then((res) => res.body.error.code)).resolves.toBe('validation_failed');
  });

  it('describes the session at GET /api/me', async () => {
    const { code } = await recordFixtureLaunch('launch-resource-link-learner');
    const session = (await redeem(code)).body;
    const res = await request(app.getHttpServer()).get('/api/me').set('authorization', `Bearer ${session.token}`);
    expect(res.status).toBe(200);
    const { token: _token, ...withoutToken } = session;
    expect(res.body).toEqual(withoutToken);
    expect(res.body.user.roles).toEqual(['learner']);

    const anonymous = await request(app.getHttpServer()).get('/api/me').set('accept', 'application/json');
    expect(anonymous.status).toBe(401);
  });

  it('upserts the user race-safely and refreshes what the platform shares', async () => {
    const sub = `race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => recordFixtureLaunch('launch-resource-link-learner', (payload) => (payload.sub = sub))),
    );
    expect(new Set(results.map((result) => result.userId)).size).toBe(1);
    await recordFixtureLaunch('launch-resource-link-learner', (payload) => {
      payload.sub = sub;
      payload.name = 'Sam Renamed';
      delete payload.email;
    });
    const users = await dataSource.query('SELECT name, email, username, last_roles FROM users WHERE platform_id = $1 AND sub = $2', [
      platform.id,
      sub,
    ]);
    expect(users).toEqual([
      { name: 'Sam Renamed', email: null, username: 'student1', last_roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] },
    ]);
  });
});
