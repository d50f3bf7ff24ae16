import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { ConfigModule } from '@ferry/config';
import { testConfig } from '@ferry/testing';
import { AzureStorageModule } from './azure-storage.module';
import type { BlobStorage } from './blob-storage.service';
import { blockIdFor } from './block-ids';
import { DEFAULT_STREAMING_UPLOAD_SETTINGS, StreamingBlobUploader, type UploadCheckpoint } from './streaming-blob-uploader';
import { GeneratedFile } from './testing/generated-file';

const BLOCK = 64 * 1024;

/** A block blob whose stageBlock calls stay pending until the test settles them, in any order. */
class ControlledBlob {
  readonly pending: Array<{ blockId: string; length: number; resolve: () => void }> = [];
  maxConcurrentStages = 0;
  committed: string[] | null = null;
  private waiting: Array<{ count: number; resolve: () => void }> = [];

  async getBlockList() {
    return { committedBlocks: [], uncommittedBlocks: [] };
  }

  stageBlock(blockId: string, _body: Buffer, length: number): Promise<void> {
    return new Promise((resolve) => {
      this.pending.push({ blockId, length, resolve });
      this.maxConcurrentStages = Math.max(this.maxConcurrentStages, this.pending.length);
      for (const waiter of this.waiting.filter((w) => this.pending.length >= w.count)) waiter.resolve();
    });
  }

  async commitBlockList(blockIds: string[]) {
    this.committed = blockIds;
    return { etag: '"0x1"' };
  }

  stagesPending(count: number): Promise<void> {
    if (this.pending.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  settle(blockId: string): void {
    const index = this.pending.findIndex((p) => p.blockId === blockId);
    const [stage] = this.pending.splice(index, 1);
    stage.resolve();
  }
}

function fakeStorage(blob: ControlledBlob): BlobStorage {
  return { blockBlobClient: () => blob } as unknown as BlobStorage;
}

describe(StreamingBlobUploader.name, () => {
  it('is provided by AzureStorageModule with the default settings', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(testConfig()), AzureStorageModule] }).compile();
    expect(moduleRef.get(StreamingBlobUploader)).toBeInstanceOf(StreamingBlobUploader);
    expect(DEFAULT_STREAMING_UPLOAD_SETTINGS).toEqual({ blockSize: 8 * 1024 * 1024, maxBlocksInFlight: 3 });
    await moduleRef.close();
  });

  it('keeps at most maxBlocksInFlight stages running and checkpoints only a fully staged prefix', async () => {
    const blob = new ControlledBlob();
    const sut = new StreamingBlobUploader(fakeStorage(blob), { blockSize: BLOCK, maxBlocksInFlight: 3 });
    const file = new GeneratedFile(6 * BLOCK, 2);
    const uploadId = randomUUID();
    const saved: UploadCheckpoint[] = [];
    const id = (index: number) => blockIdFor(uploadId, index);
    let bytesOpened = 0;

    const upload = sut.upload({
      container: 'c',
      blobName: 'b',
      expectedSize: file.size,
      contentType: 'application/octet-stream',
      uploadId,
      openSource: async (offset) =>
        Readable.from(
          (async function* counted() {
            for await (const chunk of file.open(offset) as AsyncIterable<Buffer>) {
              bytesOpened += chunk.length;
              yield chunk;
            }
          })(),
          { objectMode: false },
        ),
      checkpoints: { load: async () => null, save: async (_id, checkpoint) => void saved.push(checkpoint), clear: async () => undefined },
    });

    await blob.stagesPending(3);
    // Proving that something does not happen needs a pause: long enough for an unbounded uploader to read the whole file.
    await sleep(100);
    // Reading stops once three blocks are in flight and a fourth is full: bounded memory.
    expect(blob.pending).toHaveLength(3);
    expect(bytesOpened).toBeLessThanOrEqual(4 * BLOCK + 64 * 1024);
    blob.settle(id(2));
    blob.settle(id(1));
    await blob.stagesPending(3);
    expect(saved).toEqual([]);
    blob.settle(id(0));
    await blob.stagesPending(3);
    expect(saved.map((c) => [c.blockIndex, c.bytes])).toEqual([[3, 3 * BLOCK]]);
    for (const index of [5, 4, 3]) blob.settle(id(index));

    await expect(upload).resolves.toMatchObject({ blocksStaged: 6, size: 6 * BLOCK, sha256: (await file.digests()).sha256 });
    expect(blob.maxConcurrentStages).toBe(3);
    expect(blob.committed).toEqual([0, 1, 2, 3, 4, 5].map(id));
    expect(saved.at(-1)).toMatchObject({ blockIndex: 6, bytes: 6 * BLOCK });
  });

  it('refuses settings it cannot honour', () => {
    const blob = new ControlledBlob();
    expect(() => new StreamingBlobUploader(fakeStorage(blob), { blockSize: 0 })).toThrow(RangeError);
    expect(() => new StreamingBlobUploader(fakeStorage(blob), { maxBlocksInFlight: 0 })).toThrow(RangeError);
  });
});
