import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigModule } from '@ferry/config';
import { CryptoModule, SecretBox } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { JwksController } from './jwks.controller';
import { ToolKey } from './tool-key.entity';
import { ToolKeysService } from './tool-keys.service';

describe(ToolKeysService.name, () => {
  const config = testConfig();
  let dataSource: DataSource;
  let secretBox: SecretBox;
  let sut: ToolKeysService;

  async function keysByStatus() {
    const rows: Array<{ status: string; n: number }> = await dataSource.query(
      'SELECT status, count(*)::int AS n FROM tool_keys GROUP BY status ORDER BY status',
    );
    return Object.fromEntries(rows.map(({ status, n }) => [status, n]));
  }

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(ferryDataSourceOptions(testDatabaseUrl())),
        TypeOrmModule.forFeature([ToolKey]),
        CryptoModule,
      ],
      providers: [ToolKeysService],
    }).compile();
    dataSource = moduleRef.get<DataSource>(getDataSourceToken());
    secretBox = moduleRef.get(SecretBox);
    sut = new ToolKeysService(dataSource, secretBox);
  });
  afterAll(() => dataSource?.destroy());
  beforeEach(() => dataSource.query('DELETE FROM tool_keys'));

  it('creates exactly one active and one next key when replicas start together', async () => {
    const replicas = Array.from({ length: 4 }, () => new ToolKeysService(dataSource, secretBox));
    await Promise.all(replicas.map((replica) => replica.ensureKeys()));
    await expect(keysByStatus()).resolves.toEqual({ active: 1, next: 1 });
    await sut.ensureKeys();
    await expect(keysByStatus()).resolves.toEqual({ active: 1, next: 1 });
  });

  it('refuses a second active key at the database level', async () => {
    await sut.ensureKeys();
    await expect(dataSource.query(`UPDATE tool_keys SET status = 'active' WHERE status = 'next'`)).rejects.toThrow(/ux_tool_keys_one_active/);
  });

  it('keeps private keys sealed at rest and publishes only public parts', async () => {
    await sut.ensureKeys();
    const [row] = await dataSource.query(`SELECT private_jwk FROM tool_keys WHERE status = 'active'`);
    expect(row.private_jwk).toMatch(/^fe1\./);
    expect(JSON.parse(secretBox.open(row.private_jwk))).toHaveProperty('d');

    const { keys } = await sut.jwks();
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(Buffer.from(key.n, 'base64url')).toHaveLength(256);
    }
  });

  it('signs with the active key, verifiable against the published JWKS', async () => {
    await sut.ensureKeys();
    const { kid, privateKey } = await sut.signingKey();
    const token = await new SignJWT({ hello: 'moodle' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    await expect(jwtVerify(token, createLocalJWKSet(await sut.jwks()))).resolves.toMatchObject({ payload: { hello: 'moodle' } });
  });

  it('rotates: next becomes active, the old key stays published for seven days', async () => {
    await sut.ensureKeys();
    const before = await dataSource.getRepository(ToolKey).find();
    const active = before.find((key) => key.status === 'active')!;
    const next = before.find((key) => key.status === 'next')!;

    await sut.rotate();
    await expect(keysByStatus()).resolves.toEqual({ active: 1, next: 1, retired: 1 });
    await expect(sut.signingKey()).resolves.toMatchObject({ kid: next.kid });
    const published = (await sut.jwks()).keys.map((key) => key.kid);
    expect(published).toHaveLength(3);
    expect(published).toContain(active.kid);

    await dataSource.query(`UPDATE tool_keys SET retired_at = now() - interval '8 days' WHERE kid = $1`, [active.kid]);
    expect((await sut.jwks()).keys.map((key) => key.kid)).not.toContain(active.kid);
  });

  it('serves the JWKS with a cache header', async () => {
    await sut.ensureKeys();
    const moduleRef = await Test.createTestingModule({
      controllers: [JwksController],
      providers: [{ provide: ToolKeysService, useValue: sut }],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const res = await request(app.getHttpServer()).get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.body.keys).toHaveLength(2);
      expect(res.body.keys[0]).not.toHaveProperty('d');
    } finally {
      await app.close();
    }
  });
});
