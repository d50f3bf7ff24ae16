import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, FerryError } from '@ferry/errors';
import { PlatformKeysService } from './platform-keys.service';

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyPair(kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const sign = (key: KeyPair, kid = key.kid) =>
  new SignJWT({ sub: '1' }).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt().sign(key.privateKey);

describe(PlatformKeysService.name, () => {
  let server: Server;
  let jwksUrl: string;
  let published: KeyPair[];
  let status = 200;
  let fetches = 0;
  let first: KeyPair;
  let rotated: KeyPair;

  beforeAll(async () => {
    [first, rotated] = await Promise.all([keyPair('k1'), keyPair('k2')]);
    server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mod/lti/certs.php`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    // Only Date is faked: jose's cooldown and cache age read Date.now(); sockets keep real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    published = [first];
    status = 200;
    fetches = 0;
  });
  afterEach(() => vi.useRealTimers());

  const verify = (sut: PlatformKeysService, token: string) => jwtVerify(token, sut.keySetFor(jwksUrl), { algorithms: ['RS256'] });

  it('fetches a platform’s keys once and reuses them', async () => {
    const sut = new PlatformKeysService();
    await expect(verify(sut, await sign(first))).resolves.toBeTruthy();
    await expect(verify(sut, await sign(first))).resolves.toBeTruthy();
    expect(fetches).toBe(1);
    expect(sut.keySetFor(jwksUrl)).toBe(sut.keySetFor(jwksUrl));
  });

  it('refetches at most once per cooldown for unknown kids', async () => {
    const sut = new PlatformKeysService();
    await verify(sut, await sign(first));
    vi.advanceTimersByTime(31_000);

    await expect(verify(sut, await sign(first, 'bogus-1'))).rejects.toBeInstanceOf(Error);
    expect(fetches).toBe(2);
    await expect(verify(sut, await sign(first, 'bogus-2'))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    await expect(verify(sut, await sign(first, 'bogus-3'))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(fetches).toBe(2);
  });

  it('picks up a key the platform rotated in, once the cooldown has passed', async () => {
    const sut = new PlatformKeysService();
    await verify(sut, await sign(first));
    published = [rotated];

    await expect(verify(sut, await sign(rotated))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(fetches).toBe(1);

    vi.advanceTimersByTime(30_001);
    await expect(verify(sut, await sign(rotated))).resolves.toBeTruthy();
    expect(fetches).toBe(2);
  });

  it('refreshes keys older than ten minutes', async () => {
    const sut = new PlatformKeysService();
    await verify(sut, await sign(first));
    vi.advanceTimersByTime(10 * 60_000 + 1);
    await verify(sut, await sign(first));
    expect(fetches).toBe(2);
  });

  it('reports an unreachable or failing JWKS as platform_jwks_unavailable', async () => {
    status = 500;
    const sut = new PlatformKeysService();
    const error = await verify(sut, await sign(first)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe(ErrorCode.PlatformJwksUnavailable);

    const closed = new PlatformKeysService();
    const refused = await jwtVerify(await sign(first), closed.keySetFor('http://127.0.0.1:1/certs.php')).catch((caught: unknown) => caught);
    expect((refused as FerryError).code).toBe(ErrorCode.PlatformJwksUnavailable);
  });
});
