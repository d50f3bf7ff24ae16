import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FerryError } from '@ferry/errors';
import { testConfig } from '@ferry/testing';
import type { BlockBlobClient } from '@azure/storage-blob';
import { BlobStorage } from './blob-storage.service';
import { blockIdFor } from './block-ids';
import { HashingThreads } from './hashing-threads';
import {
  StreamingBlobUploader,
  type BlobUploadRequest,
  type UploadCheckpoint,
  type UploadCheckpointStore,
} from './streaming-blob-uploader';
import { GeneratedFile } from './testing/generated-file';

const MiB = 1024 * 1024;
const BLOCK = 8 * MiB;
const container = `uploader-${Date.now()}`;

class MemoryCheckpoints implements UploadCheckpointStore {
  readonly saved: UploadCheckpoint[] = [];
  private readonly current = new Map<string, UploadCheckpoint>();
  private readonly waiters: Array<{ blockIndex: number; resolve: () => void }> = [];

  async load(uploadId: string): Promise<UploadCheckpoint | null> {
    return this.current.get(uploadId) ?? null;
  }

  async save(uploadId: string, checkpoint: UploadCheckpoint): Promise<void> {
    this.saved.push(checkpoint);
    this.current.set(uploadId, checkpoint);
    for (const waiter of this.waiters.filter((w) => checkpoint.blockIndex >= w.blockIndex)) waiter.resolve();
  }

  async clear(uploadId: string): Promise<void> {
    this.current.delete(uploadId);
  }

  peek(uploadId: string): UploadCheckpoint | undefined {
    return this.current.get(uploadId);
  }

  reached(blockIndex: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ blockIndex, resolve }));
  }
}

/** A source that serves `file` and records every offset it was opened at. */
function sourceOf(file: GeneratedFile, transform?: (offset: number, stream: Readable) => Readable) {
  const openedAt: number[] = [];
  const opened: Readable[] = [];
  return {
    openedAt,
    opened,
    openSource: async (offset: number) => {
      openedAt.push(offset);
      const stream = transform ? transform(offset, file.open(offset)) : file.open(offset);
      opened.push(stream);
      return stream;
    },
  };
}

/** Passes `stream` through, calling `atByte` (once) when `limit` bytes have gone by; throwing from it fails the stream. */
function tapAt(stream: Readable, limit: number, atByte: () => Promise<void> | void): Readable {
  let seen = 0;
  let fired = false;
  return Readable.from(
    (async function* tapped() {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        yield chunk;
        seen += chunk.length;
        if (!fired && seen >= limit) {
          fired = true;
          await atByte();
        }
      }
    })(),
    { objectMode: false },
  );
}

/** Storage whose block blob clients record which operations the uploader calls, and may alter them. */
function recordingStorage(storage: BlobStorage, alter: Partial<Pick<BlockBlobClient, 'upload'>> = {}) {
  const calls: string[] = [];
  const wrapped = {
    blockBlobClient(container: string, blobName: string): BlockBlobClient {
      const client = storage.blockBlobClient(container, blobName);
      for (const name of ['upload', 'stageBlock', 'commitBlockList', 'getBlockList', 'getProperties'] as const) {
        const original = (alter[name as 'upload'] ?? client[name]).bind(client) as (...args: unknown[]) => unknown;
        Object.assign(client, { [name]: (...args: unknown[]) => (calls.push(name), original(...args)) });
      }
      return client;
    },
  } as unknown as BlobStorage;
  return { storage: wrapped, calls };
}

describe(StreamingBlobUploader.name, () => {
  let storage: BlobStorage;
  let threads: HashingThreads;
  let sut: StreamingBlobUploader;
  /** The same uploader hashing in this thread: checkpoints must be interchangeable. */
  let inline: StreamingBlobUploader;

  function request(file: GeneratedFile, overrides: Partial<BlobUploadRequest> = {}): BlobUploadRequest {
    return {
      container,
      blobName: `files/${randomUUID()}.bin`,
      expectedSize: file.size,
      contentType: 'application/octet-stream',
      metadata: { source: 'https://moodle.example/webservice/pluginfile.php/1/mod_resource/content/0/a.bin' },
      uploadId: randomUUID(),
      openSource: sourceOf(file).openSource,
      checkpoints: new MemoryCheckpoints(),
      ...overrides,
    };
  }

  async function blobExists(blobName: string): Promise<boolean> {
    return storage.blockBlobClient(container, blobName).exists();
  }

  beforeAll(async () => {
    storage = new BlobStorage(testConfig());
    threads = new HashingThreads();
    sut = new StreamingBlobUploader(storage, { blockSize: BLOCK, maxBlocksInFlight: 3 }, threads);
    inline = new StreamingBlobUploader(storage, { blockSize: BLOCK, maxBlocksInFlight: 3 });
    await storage.ensureContainer(container, { create: true });
  });

  afterAll(async () => {
    await threads.onModuleDestroy();
    await storage.serviceClient.getContainerClient(container).deleteIfExists();
  });

  it('uploads 40 MiB in 8 MiB blocks with end-to-end SHA-256 and MD5', async () => {
    const file = new GeneratedFile(40 * MiB, 40);
    const expected = await file.digests();
    const checkpoints = new MemoryCheckpoints();
    const progress: number[] = [];
    const source = 'https://moodle.example/webservice/pluginfile.php/1/mod_resource/content/0/a.bin';
    const upload = request(file, { checkpoints, contentType: 'video/mp4', metadata: { source, SHA256: 'forged' } });

    const result = await sut.upload(upload, { onProgress: (p) => progress.push(p.bytesStaged) });

    expect(result).toMatchObject({ sha256: expected.sha256, md5: expected.md5, size: 40 * MiB, blocksStaged: 5, blocksReused: 0, resumedFromByte: 0 });
    const blob = storage.blockBlobClient(container, upload.blobName);
    const properties = await blob.getProperties();
    expect(Buffer.from(properties.contentMD5 as Uint8Array).toString('base64')).toBe(expected.md5);
    expect(properties.contentLength).toBe(40 * MiB);
    expect(properties.contentType).toBe('video/mp4');
    expect(properties.etag).toBe(result.etag);
    expect(properties.metadata).toEqual({ source, sha256: expected.sha256 });
    const blocks = await blob.getBlockList('committed');
    expect(blocks.committedBlocks?.map((b) => b.name)).toEqual([0, 1, 2, 3, 4].map((i) => blockIdFor(upload.uploadId, i)));
    await expect(storage.verifyBlob(container, upload.blobName)).resolves.toEqual({ ...expected, size: 40 * MiB });
    expect(checkpoints.saved.map((c) => c.blockIndex)).toEqual(expect.arrayContaining([5]));
    expect(checkpoints.peek(upload.uploadId)).toBeUndefined();
    expect(progress.at(-1)).toBe(40 * MiB);
  });

  it('uploads a file that is not a whole number of blocks, and an empty file', async () => {
    const odd = new GeneratedFile(BLOCK * 2 + 12_345, 7);
    const oddRequest = request(odd);
    await expect(sut.upload(oddRequest)).resolves.toMatchObject({ ...(await odd.digests()), blocksStaged: 3 });

    const empty = new GeneratedFile(0);
    const emptyRequest = request(empty);
    await expect(sut.upload(emptyRequest)).resolves.toMatchObject({ ...(await empty.digests()), size: 0, blocksStaged: 0 });
    await expect(storage.readBlobIdentity(container, emptyRequest.blobName)).resolves.toMatchObject({ size: 0 });
  });

  it('commits nothing when the source is shorter than announced', async () => {
    const file = new GeneratedFile(20 * MiB, 3);
    const checkpoints = new MemoryCheckpoints();
    const upload = request(file, { expectedSize: 20 * MiB + 1, checkpoints });

    const error = await sut.upload(upload).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe(ErrorCode.SizeMismatch);
    expect((error as FerryError).details).toEqual({ expectedSize: 20 * MiB + 1, actualSize: 20 * MiB });
    await expect(blobExists(upload.blobName)).resolves.toBe(false);
    expect(checkpoints.peek(upload.uploadId)).toBeUndefined();
  });

  it('commits nothing and stops reading when the source is longer than announced', async () => {
    const file = new GeneratedFile(20 * MiB, 3);
    const source = sourceOf(file);
    const upload = request(file, { expectedSize: 10 * MiB, openSource: source.openSource });

    await expect(sut.upload(upload)).rejects.toMatchObject({ code: ErrorCode.SizeMismatch });
    await expect(blobExists(upload.blobName)).resolves.toBe(false);
    expect(source.opened[0].destroyed).toBe(true);
  });

  it('stops promptly and commits nothing when cancelled', async () => {
    const file = new GeneratedFile(64 * MiB, 5);
    const cancel = new AbortController();
    let cancelledAt = 0;
    const source = sourceOf(file, (_offset, stream) =>
      tapAt(stream, 2 * BLOCK + MiB, () => {
        cancelledAt = performance.now();
        cancel.abort();
      }),
    );
    const upload = request(file, { openSource: source.openSource });

    const error = await sut.upload(upload, { signal: cancel.signal }).catch((e: unknown) => e);

    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - cancelledAt).toBeLessThan(2_000);
    expect(source.opened[0].destroyed).toBe(true);
    await expect(blobExists(upload.blobName)).resolves.toBe(false);
  });

  it('refuses to start when already cancelled', async () => {
    const file = new GeneratedFile(MiB);
    const source = sourceOf(file);
    await expect(sut.upload(request(file, { openSource: source.openSource }), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(source.openedAt).toEqual([]);
  });

  it('resumes from the staged blocks after the source fails, without staging them again', async () => {
    const file = new GeneratedFile(40 * MiB, 11);
    const expected = await file.digests();
    const checkpoints = new MemoryCheckpoints();
    const failing = sourceOf(file, (_offset, stream) =>
      tapAt(stream, 3 * BLOCK + MiB, () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }),
    );
    const upload = request(file, { checkpoints, openSource: failing.openSource });

    await expect(sut.upload(upload)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(checkpoints.peek(upload.uploadId)).toMatchObject({ blockIndex: 3, bytes: 3 * BLOCK });
    await expect(blobExists(upload.blobName)).resolves.toBe(false);

    const healthy = sourceOf(file);
    const result = await sut.upload({ ...upload, openSource: healthy.openSource });

    expect(healthy.openedAt).toEqual([3 * BLOCK]);
    expect(result).toMatchObject({ blocksReused: 3, blocksStaged: 2, resumedFromByte: 3 * BLOCK, sha256: expected.sha256, md5: expected.md5 });
    await expect(storage.verifyBlob(container, upload.blobName)).resolves.toMatchObject({ sha256: expected.sha256 });
    expect(checkpoints.peek(upload.uploadId)).toBeUndefined();
  });

  it('resumes a checkpoint written by the other kind of hashing (threads or this thread) to the same digests', async () => {
    const file = new GeneratedFile(4 * BLOCK + 99, 15);
    const expected = await file.digests();
    for (const [first, second] of [
      [sut, inline],
      [inline, sut],
    ]) {
      const checkpoints = new MemoryCheckpoints();
      const failing = sourceOf(file, (_offset, stream) =>
        tapAt(stream, 2 * BLOCK + MiB, () => {
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }),
      );
      const upload = request(file, { checkpoints, openSource: failing.openSource });
      await expect(first.upload(upload)).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(checkpoints.peek(upload.uploadId)).toMatchObject({ blockIndex: 2 });

      await expect(second.upload({ ...upload, openSource: sourceOf(file).openSource })).resolves.toMatchObject({
        blocksReused: 2,
        resumedFromByte: 2 * BLOCK,
        sha256: expected.sha256,
        md5: expected.md5,
      });
      await expect(storage.verifyBlob(container, upload.blobName)).resolves.toMatchObject(expected);
    }
  });

  it('commits straight away when every block was staged before the interruption', async () => {
    const file = new GeneratedFile(2 * BLOCK + 100, 12);
    const expected = await file.digests();
    const checkpoints = new MemoryCheckpoints();
    const failing = sourceOf(file, (_offset, stream) =>
      Readable.from(
        (async function* endsWithError() {
          yield* stream;
          throw new Error('connection lost after the last byte');
        })(),
        { objectMode: false },
      ),
    );
    const upload = request(file, { checkpoints, openSource: failing.openSource });
    await expect(sut.upload(upload)).rejects.toThrow('connection lost after the last byte');
    expect(checkpoints.peek(upload.uploadId)).toMatchObject({ blockIndex: 3, bytes: file.size });

    const healthy = sourceOf(file);
    await expect(sut.upload({ ...upload, openSource: healthy.openSource })).resolves.toMatchObject({
      blocksReused: 3,
      blocksStaged: 0,
      sha256: expected.sha256,
    });
    expect(healthy.openedAt).toEqual([]);
  });

  it('starts over when the checkpoint claims blocks Azure does not have', async () => {
    const file = new GeneratedFile(3 * BLOCK, 13);
    const first = request(file);
    await sut.upload(first);
    const checkpoints = new MemoryCheckpoints();
    const [stale] = (first.checkpoints as MemoryCheckpoints).saved.slice(-1);
    const upload = request(file, { checkpoints });
    await checkpoints.save(upload.uploadId, { ...stale, blockIndex: 2, bytes: 2 * BLOCK });
    const source = sourceOf(file);

    const result = await sut.upload({ ...upload, openSource: source.openSource });

    expect(source.openedAt).toEqual([0]);
    expect(result).toMatchObject({ blocksReused: 0, blocksStaged: 3, sha256: (await file.digests()).sha256 });
  });

  it('treats a blob this upload already committed as its result (a crash before the bookkeeping)', async () => {
    const file = new GeneratedFile(BLOCK + 1, 14);
    const upload = request(file, { condition: { ifNoneMatch: '*' } });
    const first = await sut.upload(upload);
    const source = sourceOf(file);

    const again = await sut.upload({ ...upload, openSource: source.openSource });

    expect(again).toMatchObject({ etag: first.etag, sha256: first.sha256, md5: first.md5, blocksStaged: 0, blocksReused: 2 });
    expect(source.openedAt).toEqual([]);
  });

  it('lets only one of two racing uploads create a blob with ifNoneMatch *', async () => {
    const blobName = `race/${randomUUID()}.bin`;
    const files = [new GeneratedFile(2 * BLOCK, 21), new GeneratedFile(2 * BLOCK, 22)];
    const outcomes = await Promise.allSettled(files.map((file) => sut.upload(request(file, { blobName, condition: { ifNoneMatch: '*' } }))));

    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(FerryError);
    expect(rejected[0].reason.code).toBe(ErrorCode.BlobExists);
    const winner = (fulfilled[0] as PromiseFulfilledResult<{ sha256: string }>).value;
    await expect(storage.verifyBlob(container, blobName)).resolves.toMatchObject({ sha256: winner.sha256 });
  });

  it('overwrites only the blob it saw: ifMatch with a stale ETag is blob_exists', async () => {
    const blobName = `overwrite/${randomUUID()}.bin`;
    const original = await sut.upload(request(new GeneratedFile(MiB, 31), { blobName }));
    const replaced = await sut.upload(request(new GeneratedFile(MiB, 32), { blobName, condition: { ifMatch: original.etag } }));
    expect(replaced.etag).not.toBe(original.etag);

    await expect(sut.upload(request(new GeneratedFile(MiB, 33), { blobName, condition: { ifMatch: original.etag } }))).rejects.toMatchObject({
      code: ErrorCode.BlobExists,
    });
    await expect(storage.readBlobIdentity(container, blobName)).resolves.toMatchObject({ etag: replaced.etag, sha256: replaced.sha256 });
  });

  it('refuses bad requests before reading anything', async () => {
    const file = new GeneratedFile(MiB);
    const source = sourceOf(file);
    const error = await sut
      .upload(request(file, { uploadId: '', expectedSize: -1, metadata: { 'bad-key': 'x', note: 'café' }, openSource: source.openSource }))
      .catch((e: unknown) => e);
    expect((error as FerryError).code).toBe(ErrorCode.ValidationFailed);
    expect(Object.keys((error as { fields: object }).fields)).toEqual(['uploadId', 'expectedSize', 'metadata']);
    expect(source.openedAt).toEqual([]);
  });

  describe('a file of one block or less', () => {
    const source = 'https://moodle.example/webservice/pluginfile.php/1/mod_resource/content/0/small.pdf';

    it('goes up in one Put Blob with its Content-MD5, the blob MD5, content type and sha256 metadata', async () => {
      const file = new GeneratedFile(BLOCK, 41);
      const expected = await file.digests();
      const recording = recordingStorage(storage);
      const upload = request(file, { contentType: 'application/pdf', metadata: { source, sha256: 'forged' }, condition: { ifNoneMatch: '*' } });
      const progress: number[] = [];
      // The request as it leaves: Content-MD5 is the transactional check, x-ms-blob-content-md5 what the blob keeps.
      const sent: Array<{ method: string; contentMd5: unknown; blobContentMd5: unknown; ifNoneMatch: unknown }> = [];
      const onRequest = (message: unknown) => {
        const { request: outgoing } = message as { request: ClientRequest };
        if (!outgoing.path.includes(encodeURIComponent(upload.blobName).replace(/%2F/g, '/'))) return;
        sent.push({
          method: outgoing.method,
          contentMd5: outgoing.getHeader('content-md5'),
          blobContentMd5: outgoing.getHeader('x-ms-blob-content-md5'),
          ifNoneMatch: outgoing.getHeader('if-none-match'),
        });
      };
      subscribe('http.client.request.start', onRequest);
      let result;
      try {
        result = await new StreamingBlobUploader(recording.storage, { blockSize: BLOCK }, threads).upload(upload, {
          onProgress: (p) => progress.push(p.bytesStaged),
        });
      } finally {
        unsubscribe('http.client.request.start', onRequest);
      }

      expect(recording.calls).toEqual(['upload']);
      expect(sent).toEqual([{ method: 'PUT', contentMd5: expected.md5, blobContentMd5: expected.md5, ifNoneMatch: '*' }]);
      expect(result).toMatchObject({ ...expected, size: BLOCK, uploadedInOneRequest: true, blocksStaged: 0, resumedFromByte: 0 });
      const properties = await storage.blockBlobClient(container, upload.blobName).getProperties();
      expect(Buffer.from(properties.contentMD5 as Uint8Array).toString('base64')).toBe(expected.md5);
      expect(properties).toMatchObject({ contentLength: BLOCK, contentType: 'application/pdf', etag: result.etag, metadata: { source, sha256: expected.sha256 } });
      await expect(storage.verifyBlob(container, upload.blobName)).resolves.toEqual({ ...expected, size: BLOCK });
      expect(progress.at(-1)).toBe(BLOCK);
    });

    it('is refused by Azure when the bytes that arrive do not match its Content-MD5, and nothing is written', async () => {
      const file = new GeneratedFile(64 * 1024, 42);
      const recording = recordingStorage(storage, {
        // Damage on the way: the body changes after the uploader hashed it.
        upload(this: BlockBlobClient, ...args: Parameters<BlockBlobClient['upload']>) {
          const [body, length, options] = args;
          const damaged = Buffer.from(body as Buffer);
          damaged[100] ^= 0xff;
          return Object.getPrototypeOf(this).upload.call(this, damaged, length, options);
        },
      });
      const upload = request(file);

      const error = await new StreamingBlobUploader(recording.storage, { blockSize: BLOCK }).upload(upload).catch((e: unknown) => e);

      // Azure answers 400 Md5Mismatch (retried, see storage-errors); Azurite says InvalidOperation.
      expect(error).toMatchObject({ statusCode: 400, message: expect.stringMatching(/contentMD5 doesn't match/) });
      await expect(blobExists(upload.blobName)).resolves.toBe(false);
    });

    it('honours the write condition: creates only a new blob, replaces only the blob it saw', async () => {
      const blobName = `small/${randomUUID()}.bin`;
      const created = await sut.upload(request(new GeneratedFile(1000, 43), { blobName, condition: { ifNoneMatch: '*' } }));
      await expect(sut.upload(request(new GeneratedFile(1000, 44), { blobName, condition: { ifNoneMatch: '*' } }))).rejects.toMatchObject({
        code: ErrorCode.BlobExists,
      });
      const replaced = await sut.upload(request(new GeneratedFile(2000, 45), { blobName, condition: { ifMatch: created.etag } }));
      await expect(sut.upload(request(new GeneratedFile(3000, 46), { blobName, condition: { ifMatch: created.etag } }))).rejects.toMatchObject({
        code: ErrorCode.BlobExists,
      });
      await expect(storage.readBlobIdentity(container, blobName)).resolves.toMatchObject({ etag: replaced.etag, size: 2000, sha256: replaced.sha256 });
    });

    it('commits nothing when the source is shorter or longer than announced', async () => {
      const file = new GeneratedFile(300_000, 47);
      const short = request(file, { expectedSize: 300_001 });
      await expect(sut.upload(short)).rejects.toMatchObject({ code: ErrorCode.SizeMismatch, details: { expectedSize: 300_001, actualSize: 300_000 } });
      await expect(blobExists(short.blobName)).resolves.toBe(false);

      const source = sourceOf(file);
      const long = request(file, { expectedSize: 200_000, openSource: source.openSource });
      await expect(sut.upload(long)).rejects.toMatchObject({ code: ErrorCode.SizeMismatch, details: { expectedSize: 200_000, actualSize: null } });
      await expect(blobExists(long.blobName)).resolves.toBe(false);
      expect(source.opened[0].destroyed).toBe(true);
    });

    it('stops and writes nothing when cancelled mid-file', async () => {
      const file = new GeneratedFile(4 * MiB, 48);
      const cancel = new AbortController();
      const source = sourceOf(file, (_offset, stream) => tapAt(stream, MiB, () => cancel.abort()));
      const upload = request(file, { openSource: source.openSource });

      await expect(sut.upload(upload, { signal: cancel.signal })).rejects.toMatchObject({ name: 'AbortError' });
      expect(source.opened[0].destroyed).toBe(true);
      await expect(blobExists(upload.blobName)).resolves.toBe(false);
    });
  });

  it('stages and commits a file of more than one block, and never reads a block list for one that fits in one', async () => {
    const recording = recordingStorage(storage);
    const uploader = new StreamingBlobUploader(recording.storage, { blockSize: BLOCK }, threads);
    await uploader.upload(request(new GeneratedFile(BLOCK + 1, 49)));
    expect(recording.calls).toEqual(['getBlockList', 'stageBlock', 'stageBlock', 'commitBlockList']);
  });

  it('keeps memory bounded while streaming 512 MiB', { timeout: 180_000 }, async () => {
    const file = new GeneratedFile(512 * MiB, 99);
    const upload = request(file);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const result = await sut.upload(upload, { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
      expect(result).toMatchObject({ size: 512 * MiB, blocksStaged: 64 });
    } finally {
      clearInterval(sampler);
      await storage.blockBlobClient(container, upload.blobName).deleteIfExists();
    }
    const growthMiB = (peak - baseline) / MiB;
    expect(growthMiB, `RSS grew by ${growthMiB.toFixed(1)} MiB`).toBeLessThan(100);
  });
});
