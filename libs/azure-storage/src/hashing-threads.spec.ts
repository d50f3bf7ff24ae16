import { createHash, randomFillSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InlineFileHashes, type HashStates } from './file-hashes';
import { HashingThreads } from './hashing-threads';

const MiB = 1024 * 1024;

describe(HashingThreads.name, () => {
  let sut: HashingThreads;
  afterEach(async () => {
    await sut.onModuleDestroy();
  });

  function blocksOver(sharedMemory: boolean, ...sizes: number[]): Buffer[] {
    return sizes.map((size) => randomFillSync(sharedMemory ? sut.allocateBlock(size) : Buffer.alloc(size)));
  }

  function digestsOf(blocks: Buffer[]): { sha256: string; md5: Buffer } {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    for (const block of blocks) {
      sha256.update(block);
      md5.update(block);
    }
    return { sha256: sha256.digest('hex'), md5: md5.digest() };
  }

  it('hashes blocks handed in at once in their order, to the digests of the whole file', async () => {
    sut = new HashingThreads(2);
    const blocks = blocksOver(true, 3 * MiB, MiB + 17, 5);
    const hashes = await sut.open();

    await Promise.all(blocks.map((block) => hashes.hashBlock(block)));
    const digests = await hashes.digest();

    expect(digests.sha256).toBe(digestsOf(blocks).sha256);
    expect(Buffer.from(digests.md5)).toEqual(digestsOf(blocks).md5);
  });

  it('gives states that hashes in this thread resume from, and resumes from theirs', async () => {
    sut = new HashingThreads(1);
    const blocks = blocksOver(true, 2 * MiB, 2 * MiB, 2 * MiB);
    const expected = digestsOf(blocks);

    const threaded = await sut.open();
    await threaded.hashBlock(blocks[0]);
    const afterFirst: HashStates = await threaded.hashBlock(blocks[1]);
    threaded.close();
    const inline = await InlineFileHashes.open(afterFirst);
    await inline.hashBlock(blocks[2]);
    await expect(inline.digest()).resolves.toMatchObject({ sha256: expected.sha256 });

    const inlineFromStart = await InlineFileHashes.open();
    const inlineAfterFirst = await inlineFromStart.hashBlock(blocks[0]);
    const resumed = await sut.open(inlineAfterFirst);
    await resumed.hashBlock(blocks[1]);
    await resumed.hashBlock(blocks[2]);
    const digests = await resumed.digest();
    expect(digests.sha256).toBe(expected.sha256);
    expect(Buffer.from(digests.md5)).toEqual(expected.md5);
  });

  it('hashes a block outside shared memory too (it is copied to the thread)', async () => {
    sut = new HashingThreads(1);
    const [block] = blocksOver(false, MiB);
    const hashes = await sut.open();
    await hashes.hashBlock(block);
    await expect(hashes.digest()).resolves.toMatchObject({ sha256: digestsOf([block]).sha256 });
  });

  it('refuses states hash-wasm cannot load', async () => {
    sut = new HashingThreads(1);
    await expect(sut.open({ sha256: new Uint8Array(7), md5: new Uint8Array(3) })).rejects.toThrow(/Hashing failed/);
  });

  it('fails what its thread had in hand when the thread stops, and starts another for the next upload', async () => {
    sut = new HashingThreads(1);
    const [large, small] = blocksOver(true, 64 * MiB, MiB);
    const hashes = await sut.open();
    const pending = hashes.hashBlock(large);

    await sut.onModuleDestroy();

    await expect(pending).rejects.toThrow(/hashing thread exited/);
    const next = await sut.open();
    await next.hashBlock(small);
    await expect(next.digest()).resolves.toMatchObject({ sha256: digestsOf([small]).sha256 });
  });

  it('refuses a thread count below one', () => {
    sut = new HashingThreads(1);
    expect(() => new HashingThreads(0)).toThrow(RangeError);
  });
});
