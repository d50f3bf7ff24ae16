import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationFailedError } from '@ferry/errors';
import { testConfig } from '@ferry/testing';
import type { Deployment } from './deployment.entity';
import type { Platform } from './platform.entity';
import { PlatformsService } from './platforms.service';

/** Just the Repository<Platform> calls the service makes, over an in-memory list. */
class FakePlatformRepository {
  rows: Platform[] = [];
  finds = 0;
  create = (values: Partial<Platform>) => ({ ...values }) as Platform;
  async save(platform: Platform) {
    Object.assign(platform, { id: randomUUID(), status: 'active', createdAt: new Date(), updatedAt: new Date() });
    this.rows.push(platform);
    return platform;
  }
  async findOne({ where }: { where: { id: string } }) {
    return this.rows.find((row) => row.id === where.id) ?? null;
  }
  async find({ where }: { where: { status: string } }) {
    this.finds += 1;
    return this.rows.filter((row) => row.status === where.status);
  }
}

const moodle = {
  name: 'Our Moodle',
  issuer: 'http://moodle.example.edu',
  clientId: 'client-1',
  authLoginUrl: 'http://login.example.edu/mod/lti/auth.php',
  accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
  jwksUrl: 'http://moodle.example.edu/mod/lti/certs.php',
  deploymentIds: ['1'],
};

describe(PlatformsService.name, () => {
  let platforms: FakePlatformRepository;
  const deployments = { create: (values: Partial<Deployment>) => values } as unknown as Repository<Deployment>;
  const service = (allowInsecure: boolean) =>
    new PlatformsService(
      platforms as unknown as Repository<Platform>,
      deployments,
      testConfig({ ALLOW_INSECURE_PLATFORM_URLS: String(allowInsecure) }),
    );

  beforeEach(() => {
    platforms = new FakePlatformRepository();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('URL schemes', () => {
    it('refuses every http URL, field by field, unless insecure platform URLs are allowed', async () => {
      const error = await service(false).create(moodle).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect((error as ValidationFailedError).fields).toEqual({
        issuer: ['issuer must be an absolute https:// URL'],
        authLoginUrl: ['authLoginUrl must be an absolute https:// URL'],
        jwksUrl: ['jwksUrl must be an absolute https:// URL'],
      });
      expect(platforms.rows).toEqual([]);
    });

    it('accepts http URLs when allowed (local development and tests)', async () => {
      await expect(service(true).create(moodle)).resolves.toMatchObject({ issuer: 'http://moodle.example.edu' });
    });

    it('checks the URLs a PATCH changes', async () => {
      const sut = service(false);
      const created = await sut.create({ ...moodle, issuer: 'https://moodle.example.edu', authLoginUrl: 'https://moodle.example.edu/a', jwksUrl: 'https://moodle.example.edu/c' });
      await expect(sut.update(created.id, { jwksUrl: 'http://moodle.example.edu/c' })).rejects.toMatchObject({
        fields: { jwksUrl: ['jwksUrl must be an absolute https:// URL'] },
      });
    });
  });

  it('finds nothing for an id that is not a uuid, without asking the database', async () => {
    const findOne = vi.spyOn(platforms, 'findOne');
    await expect(service(true).findById('not-a-uuid')).resolves.toBeNull();
    await expect(service(true).get("1' OR '1'='1")).rejects.toMatchObject({ code: 'not_found' });
    expect(findOne).not.toHaveBeenCalled();
  });

  describe('frameAncestorOrigins', () => {
    it('lists the distinct origins of active platforms’ issuers and login URLs', async () => {
      const sut = service(true);
      await sut.create(moodle);
      await sut.create({ ...moodle, clientId: 'client-2', issuer: 'http://moodle.example.edu:8080/moodle' });
      await expect(sut.frameAncestorOrigins()).resolves.toEqual([
        'http://login.example.edu',
        'http://moodle.example.edu',
        'http://moodle.example.edu:8080',
      ]);
    });

    it('answers from memory for 30 s, one query for concurrent callers', async () => {
      vi.useFakeTimers();
      const sut = service(true);
      await Promise.all([sut.frameAncestorOrigins(), sut.frameAncestorOrigins(), sut.frameAncestorOrigins()]);
      expect(platforms.finds).toBe(1);
      vi.advanceTimersByTime(29_000);
      await sut.frameAncestorOrigins();
      expect(platforms.finds).toBe(1);
      vi.advanceTimersByTime(2_000);
      await sut.frameAncestorOrigins();
      expect(platforms.finds).toBe(2);
    });

    it('sees a new platform at once after create invalidates the cache', async () => {
      const sut = service(true);
      await expect(sut.frameAncestorOrigins()).resolves.toEqual([]);
      await sut.create(moodle);
      await expect(sut.frameAncestorOrigins()).resolves.toContain('http://moodle.example.edu');
    });

    it('does not keep a failed lookup', async () => {
      const sut = service(true);
      vi.spyOn(platforms, 'find').mockRejectedValueOnce(new Error('database down'));
      await expect(sut.frameAncestorOrigins()).rejects.toThrow('database down');
      await expect(sut.frameAncestorOrigins()).resolves.toEqual([]);
    });
  });
});
