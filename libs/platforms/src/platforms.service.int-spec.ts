import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigModule } from '@ferry/config';
import { ferryDataSourceOptions } from '@ferry/database';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import type { CreatePlatformDto } from './dto/create-platform.dto';
import { PlatformsModule } from './platforms.module';
import { PlatformsService } from './platforms.service';

const moodle = (overrides: Partial<CreatePlatformDto> = {}): CreatePlatformDto => ({
  name: 'Moodle',
  issuer: 'http://127.0.0.1:8088',
  clientId: 'client-1',
  authLoginUrl: 'http://127.0.0.1:8088/mod/lti/auth.php',
  accessTokenUrl: 'http://127.0.0.1:8088/mod/lti/token.php',
  jwksUrl: 'http://127.0.0.1:8088/mod/lti/certs.php',
  deploymentIds: ['1'],
  ...overrides,
});

describe(`${PlatformsService.name} (for LTI logins and launches)`, () => {
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let sut: PlatformsService;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig()), TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())), PlatformsModule],
    }).compile();
    dataSource = moduleRef.get<DataSource>(getDataSourceToken());
    sut = moduleRef.get(PlatformsService);
  });
  afterAll(() => moduleRef?.close());
  beforeEach(async () => {
    await dataSource.query('TRUNCATE platforms CASCADE');
    sut.invalidateFrameAncestors();
  });

  describe('findByIssuerAndClientId', () => {
    it('finds the registration for issuer + client id, with its deployments', async () => {
      const created = await sut.create(moodle());
      await sut.create(moodle({ clientId: 'client-2' }));
      const found = await sut.findByIssuerAndClientId('http://127.0.0.1:8088', 'client-1');
      expect(found?.id).toBe(created.id);
      expect(found?.deployments.map((deployment) => deployment.deploymentId)).toEqual(['1']);
      await expect(sut.findByIssuerAndClientId('http://127.0.0.1:8088', 'client-3')).resolves.toBeNull();
      await expect(sut.findByIssuerAndClientId('http://127.0.0.1:8088/', 'client-1')).resolves.toBeNull();
    });

    it('without a client id: the issuer’s only registration, none when there are several', async () => {
      const created = await sut.create(moodle());
      await expect(sut.findByIssuerAndClientId('http://127.0.0.1:8088')).resolves.toMatchObject({ id: created.id });
      await sut.create(moodle({ clientId: 'client-2' }));
      await expect(sut.findByIssuerAndClientId('http://127.0.0.1:8088')).resolves.toBeNull();
      await expect(sut.findByIssuerAndClientId('http://unknown.example')).resolves.toBeNull();
    });

    it('returns an inactive platform too, so the login can say platform_inactive', async () => {
      const created = await sut.create(moodle());
      await sut.deactivate(created.id);
      await expect(sut.findByIssuerAndClientId('http://127.0.0.1:8088', 'client-1')).resolves.toMatchObject({ status: 'inactive' });
    });
  });

  describe('resolveLaunchDeployment', () => {
    it('returns a known active deployment', async () => {
      const platform = await sut.create(moodle({ deploymentIds: ['1', '2'] }));
      await expect(sut.resolveLaunchDeployment(platform, '2')).resolves.toMatchObject({
        id: platform.deployments.find((deployment) => deployment.deploymentId === '2')?.id,
        platformId: platform.id,
        deploymentId: '2',
        active: true,
      });
    });

    it('refuses a removed deployment with deployment_inactive, even when unknown ones register', async () => {
      const platform = await sut.create(moodle({ unknownDeploymentPolicy: 'register' }));
      await sut.removeDeployment(platform.id, '1');
      await expect(sut.resolveLaunchDeployment(platform, '1')).rejects.toMatchObject({ code: 'deployment_inactive' });
    });

    it('refuses an unknown deployment with unknown_deployment under the default policy', async () => {
      const platform = await sut.create(moodle());
      await expect(sut.resolveLaunchDeployment(platform, '9')).rejects.toMatchObject({
        code: 'unknown_deployment',
        details: { platformId: platform.id, deploymentId: '9' },
      });
      await expect(dataSource.query('SELECT count(*)::int AS n FROM deployments')).resolves.toEqual([{ n: 1 }]);
    });

    it('registers an unknown deployment once under the register policy, also when first launches race', async () => {
      const platform = await sut.create(moodle({ unknownDeploymentPolicy: 'register' }));
      // Open the pool's connections first, or the first launch finishes while the others still connect.
      await Promise.all(Array.from({ length: 8 }, () => dataSource.query('SELECT pg_sleep(0.05)')));
      const resolved = await Promise.all(Array.from({ length: 8 }, () => sut.resolveLaunchDeployment(platform, '42')));
      expect(new Set(resolved.map((deployment) => deployment.id)).size).toBe(1);
      expect(resolved[0]).toMatchObject({ platformId: platform.id, deploymentId: '42', name: null, active: true });
      await expect(dataSource.query(`SELECT count(*)::int AS n FROM deployments WHERE deployment_id = '42'`)).resolves.toEqual([{ n: 1 }]);
    });

    it('registers under the policy set by PATCH', async () => {
      const platform = await sut.create(moodle());
      await expect(sut.resolveLaunchDeployment(platform, '5')).rejects.toMatchObject({ code: 'unknown_deployment' });
      const patched = await sut.update(platform.id, { unknownDeploymentPolicy: 'register' });
      await expect(sut.resolveLaunchDeployment(patched, '5')).resolves.toMatchObject({ deploymentId: '5' });
    });
  });

  describe('frameAncestorOrigins', () => {
    it('lists the origins of active platforms only, and follows create, update and deactivate at once', async () => {
      await expect(sut.frameAncestorOrigins()).resolves.toEqual([]);
      const platform = await sut.create(moodle({ authLoginUrl: 'http://login.example:9000/mod/lti/auth.php' }));
      await expect(sut.frameAncestorOrigins()).resolves.toEqual(['http://127.0.0.1:8088', 'http://login.example:9000']);
      await sut.update(platform.id, { authLoginUrl: 'https://login.example/mod/lti/auth.php' });
      await expect(sut.frameAncestorOrigins()).resolves.toEqual(['http://127.0.0.1:8088', 'https://login.example']);
      await sut.deactivate(platform.id);
      await expect(sut.frameAncestorOrigins()).resolves.toEqual([]);
    });
  });

  it('create keeps nothing when the registration is refused', async () => {
    await sut.create(moodle({ deploymentIds: ['1', '2'] }));
    await expect(sut.create(moodle({ deploymentIds: ['3'] }))).rejects.toMatchObject({ code: 'platform_exists' });
    await expect(dataSource.query('SELECT deployment_id FROM deployments ORDER BY deployment_id')).resolves.toEqual([
      { deployment_id: '1' },
      { deployment_id: '2' },
    ]);
  });
});
