import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@ferry/errors';
import { testConfig } from '@ferry/testing';
import { BlobStorage } from './blob-storage.service';

describe(BlobStorage.name, () => {
  const sut = new BlobStorage(testConfig());
  const container = `storage-${Date.now()}`;
  const created: string[] = [];

  beforeAll(async () => {
    await sut.ensureContainer(container, { create: true });
    created.push(container);
  });

  afterAll(async () => {
    await Promise.all(created.map((name) => sut.serviceClient.getContainerClient(name).deleteIfExists()));
  });

  describe('ensureContainer', () => {
    it('creates a missing container when allowed, once', async () => {
      const name = `made-${randomUUID().slice(0, 8)}`;
      created.push(name);
      await expect(sut.ensureContainer(name, { create: true })).resolves.toEqual({ created: true });
      await expect(sut.ensureContainer(name, { create: true })).resolves.toEqual({ created: false });
      await expect(sut.ensureContainer(name, { create: false })).resolves.toEqual({ created: false });
    });

    it('refuses a missing container when creating is not allowed', async () => {
      const name = `absent-${randomUUID().slice(0, 8)}`;
      await expect(sut.ensureContainer(name, { create: false })).rejects.toMatchObject({ code: ErrorCode.ContainerNotAllowed });
      await expect(sut.serviceClient.getContainerClient(name).exists()).resolves.toBe(false);
    });

    it('refuses an invalid name with the rules it breaks, before calling Azure', async () => {
      await expect(sut.ensureContainer('Bad_Name', { create: true })).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        fields: { container: expect.arrayContaining(['A container name may contain only lowercase letters a-z, digits and hyphens.']) },
      });
    });
  });

  describe('readBlobIdentity', () => {
    it('is null for a missing blob', async () => {
      await expect(sut.readBlobIdentity(container, 'missing/blob.txt')).resolves.toBeNull();
    });

    it('reads ETag, size, the sha256 metadata and Content-MD5', async () => {
      const blob = sut.blockBlobClient(container, 'identity/ünïcode name.txt');
      const body = Buffer.from('hello ferry');
      const md5 = createHash('md5').update(body).digest();
      const uploaded = await blob.upload(body, body.length, { metadata: { sha256: 'abc123' }, blobHTTPHeaders: { blobContentMD5: md5 } });

      await expect(sut.readBlobIdentity(container, 'identity/ünïcode name.txt')).resolves.toEqual({
        etag: uploaded.etag,
        size: body.length,
        sha256: 'abc123',
        contentMD5: md5.toString('base64'),
      });
    });

    it('reports a blob Ferry did not write with a null sha256', async () => {
      const blob = sut.blockBlobClient(container, 'identity/foreign.txt');
      await blob.upload('x', 1);
      await expect(sut.readBlobIdentity(container, 'identity/foreign.txt')).resolves.toMatchObject({ sha256: null, size: 1 });
    });

    it('fails loudly for a missing container rather than answering "no blob"', async () => {
      await expect(sut.readBlobIdentity(`gone-${randomUUID().slice(0, 8)}`, 'a.txt')).rejects.toMatchObject({ statusCode: 404 });
    });
  });

  describe('verifyBlob', () => {
    it('streams the stored blob back and hashes it', async () => {
      const body = Buffer.from('the whole file, read back');
      await sut.blockBlobClient(container, 'verify/file.txt').upload(body, body.length);
      await expect(sut.verifyBlob(container, 'verify/file.txt')).resolves.toEqual({
        sha256: createHash('sha256').update(body).digest('hex'),
        md5: createHash('md5').update(body).digest('base64'),
        size: body.length,
      });
    });
  });

  describe('blobUrl', () => {
    it('is the encoded blob address without a query string', () => {
      expect(sut.blobUrl(container, 'a b/c#d.pdf')).toMatch(new RegExp(`/${container}/a%20b/c%23d\\.pdf$`));
    });
  });
});
