import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigModule } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { createValidationPipe, HttpErrorFilter } from '@ferry/errors';
import { IdentityModule, SessionTokenService } from '@ferry/identity';
import { RedisModule } from '@ferry/redis';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { PlatformsHttpModule } from './platforms-http.module';
import { PlatformsModule } from './platforms.module';

const config = testConfig({ ALLOW_INSECURE_PLATFORM_URLS: 'false' });
const OPERATOR = `Bearer ${config.operator.token}`;

const moodle = {
  name: 'Our Moodle',
  issuer: 'https://moodle.example.edu',
  clientId: 'Gyg39EMMRRzRyuO',
  authLoginUrl: 'https://moodle.example.edu/mod/lti/auth.php',
  accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
  jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php',
  deploymentIds: ['1', '2'],
};

describe('operator API /api/platforms', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let sessionTokens: SessionTokenService;

  const api = () => request(app.getHttpServer());
  const register = (body: object = moodle) => api().post('/api/platforms').set('authorization', OPERATOR).send(body);
  const adminOf = async (platformId: string) =>
    `Bearer ${(await sessionTokens.issue({ userId: 'u1', platformId, launchId: 'l1', roles: ['admin'] })).token}`;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())),
        RedisModule,
        CryptoModule,
        IdentityModule,
        PlatformsModule,
        PlatformsHttpModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
    dataSource = app.get<DataSource>(getDataSourceToken());
    sessionTokens = app.get(SessionTokenService);
  });
  afterAll(() => app?.close());
  beforeEach(() => dataSource.query('TRUNCATE platforms CASCADE'));

  describe('POST /api/platforms', () => {
    it('registers a platform with its deployments → 201', async () => {
      const response = await register();
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ...moodle,
        deploymentIds: undefined,
        status: 'active',
        unknownDeploymentPolicy: 'refuse',
        deployments: [
          { deploymentId: '1', name: null, active: true },
          { deploymentId: '2', name: null, active: true },
        ],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      await expect(dataSource.query('SELECT count(*)::int AS n FROM deployments')).resolves.toEqual([{ n: 2 }]);
    });

    it('refuses the same issuer + client id again → 409 platform_exists, also when both race', async () => {
      expect((await register()).status).toBe(201);
      const again = await register({ ...moodle, name: 'Again' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('platform_exists');

      const racing = { ...moodle, clientId: 'racing-client' };
      const statuses = (await Promise.all([register(racing), register(racing), register(racing)])).map((r) => r.status);
      expect(statuses.sort()).toEqual([201, 409, 409]);
    });

    it('accepts another client id of the same issuer', async () => {
      expect((await register()).status).toBe(201);
      expect((await register({ ...moodle, clientId: 'second-tool' })).status).toBe(201);
    });

    it('reports every bad field at once → 400 validation_failed', async () => {
      const response = await register({ ...moodle, name: '', issuer: 'not a url', deploymentIds: ['1', '1'], extra: true });
      expect(response.status).toBe(400);
      expect(response.body.error).toEqual({
        code: 'validation_failed',
        message: expect.any(String),
        details: {
          fields: {
            name: ['name should not be empty'],
            issuer: ['issuer must be an absolute https:// URL'],
            deploymentIds: ['deploymentIds must not repeat a deployment id'],
            extra: ['property extra should not exist'],
          },
        },
      });
    });

    it('refuses http URLs when insecure platform URLs are not allowed, naming each field', async () => {
      const response = await register({ ...moodle, issuer: 'http://moodle.example.edu', jwksUrl: 'http://moodle.example.edu/mod/lti/certs.php' });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.details.fields).toEqual({
        issuer: ['issuer must be an absolute https:// URL'],
        jwksUrl: ['jwksUrl must be an absolute https:// URL'],
      });
      await expect(dataSource.query('SELECT count(*)::int AS n FROM platforms')).resolves.toEqual([{ n: 0 }]);
    });
  });

  describe('reading, patching, deactivating', () => {
    it('lists and shows platforms', async () => {
      const { body: created } = await register();
      const list = await api().get('/api/platforms').set('authorization', OPERATOR);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([created]);
      const one = await api().get(`/api/platforms/${created.id}`).set('authorization', OPERATOR);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(created);
    });

    it('answers 404 not_found for an unknown id and for one that is not a uuid', async () => {
      for (const id of ['3f1c1e5e-3d5b-4a8e-9a59-0c6f1f3c9d11', 'not-a-uuid']) {
        const response = await api().get(`/api/platforms/${id}`).set('authorization', OPERATOR);
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('not_found');
      }
    });

    it('patches the given fields only', async () => {
      const { body: created } = await register();
      const response = await api()
        .patch(`/api/platforms/${created.id}`)
        .set('authorization', OPERATOR)
        .send({ name: 'Renamed', jwksUrl: 'https://keys.example.edu/certs.php', unknownDeploymentPolicy: 'register' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ...created,
        name: 'Renamed',
        jwksUrl: 'https://keys.example.edu/certs.php',
        unknownDeploymentPolicy: 'register',
        updatedAt: expect.any(String),
      });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    });

    it('refuses a bad PATCH field by field', async () => {
      const { body: created } = await register();
      const response = await api()
        .patch(`/api/platforms/${created.id}`)
        .set('authorization', OPERATOR)
        .send({ name: null, status: 'paused', clientId: 'other' });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.error.details.fields).sort()).toEqual(['clientId', 'name', 'status']);
    });

    it('DELETE deactivates the platform → 200, and PATCH can reactivate it', async () => {
      const { body: created } = await register();
      const deleted = await api().delete(`/api/platforms/${created.id}`).set('authorization', OPERATOR);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({ id: created.id, status: 'inactive' });
      const reactivated = await api().patch(`/api/platforms/${created.id}`).set('authorization', OPERATOR).send({ status: 'active' });
      expect(reactivated.body.status).toBe('active');
    });
  });

  describe('deployments', () => {
    it('adds one → 201, refuses a duplicate → 409 deployment_exists', async () => {
      const { body: created } = await register();
      const added = await api()
        .post(`/api/platforms/${created.id}/deployments`)
        .set('authorization', OPERATOR)
        .send({ deploymentId: '7', name: 'Course 7' });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ deploymentId: '7', name: 'Course 7', active: true });
      const duplicate = await api().post(`/api/platforms/${created.id}/deployments`).set('authorization', OPERATOR).send({ deploymentId: '1' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('deployment_exists');
    });

    it('removes one → 204 (kept, inactive), 404 when absent, and adding it again reactivates it', async () => {
      const { body: created } = await register();
      const removed = await api().delete(`/api/platforms/${created.id}/deployments/2`).set('authorization', OPERATOR);
      expect(removed.status).toBe(204);
      const shown = await api().get(`/api/platforms/${created.id}`).set('authorization', OPERATOR);
      expect(shown.body.deployments).toEqual([
        { deploymentId: '1', name: null, active: true },
        { deploymentId: '2', name: null, active: false },
      ]);
      const absent = await api().delete(`/api/platforms/${created.id}/deployments/99`).set('authorization', OPERATOR);
      expect(absent.status).toBe(404);
      expect(absent.body.error.code).toBe('not_found');
      const readded = await api().post(`/api/platforms/${created.id}/deployments`).set('authorization', OPERATOR).send({ deploymentId: '2' });
      expect(readded.status).toBe(201);
      expect(readded.body.active).toBe(true);
    });

    it('answers 404 for deployments of an unknown platform', async () => {
      const response = await api()
        .post('/api/platforms/3f1c1e5e-3d5b-4a8e-9a59-0c6f1f3c9d11/deployments')
        .set('authorization', OPERATOR)
        .send({ deploymentId: '1' });
      expect(response.status).toBe(404);
    });
  });

  describe('who may call', () => {
    it('answers 401 without a token, and with a wrong one', async () => {
      const { body: created } = await register();
      expect((await api().get('/api/platforms')).status).toBe(401);
      expect((await api().get(`/api/platforms/${created.id}`)).status).toBe(401);
      const wrong = await api().post('/api/platforms').set('authorization', 'Bearer wrong').send(moodle);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('unauthenticated');
    });

    it('lets a platform admin manage their own platform, hides others (404), and keeps list/create operator-only (403)', async () => {
      const { body: own } = await register();
      const { body: other } = await register({ ...moodle, clientId: 'other-tool' });
      const admin = await adminOf(own.id);

      const read = await api().get(`/api/platforms/${own.id}`).set('authorization', admin);
      expect(read.status).toBe(200);
      expect(read.body.id).toBe(own.id);
      const patched = await api().patch(`/api/platforms/${own.id}`).set('authorization', admin).send({ name: 'Ours' });
      expect(patched.status).toBe(200);
      const added = await api().post(`/api/platforms/${own.id}/deployments`).set('authorization', admin).send({ deploymentId: '5' });
      expect(added.status).toBe(201);

      const hidden = await api().get(`/api/platforms/${other.id}`).set('authorization', admin);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe('not_found');
      expect((await api().delete(`/api/platforms/${other.id}`).set('authorization', admin)).status).toBe(404);
      expect((await api().get('/api/platforms').set('authorization', admin)).status).toBe(403);
      expect((await api().post('/api/platforms').set('authorization', admin).send({ ...moodle, clientId: 'x' })).status).toBe(403);
    });

    it('refuses a session user who is not an admin (403)', async () => {
      const { body: own } = await register();
      const { token } = await sessionTokens.issue({ userId: 'u2', platformId: own.id, launchId: 'l2', roles: ['instructor'] });
      const response = await api().get(`/api/platforms/${own.id}`).set('authorization', `Bearer ${token}`);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    });
  });
});
