import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export const CONTENT_BLOCK_SIZE = 1024 * 1024;
/** Above this size the ETag is derived from the seed instead of hashing the whole file (see README). */
export const CONTENTHASH_LIMIT = 64 * 1024 * 1024;

const BASE_BLOCK_CACHE_SIZE = 16;
const baseBlocks = new Map<string, Buffer>();

/**
 * A file's bytes, generated and never stored: a per-file pseudo-random 1 MiB block (AES-128-CTR over
 * zeros, keyed by the file's seed), repeated, with the block index stamped into the first 8 bytes of
 * every block so no two blocks are alike. Any byte range can be produced on its own, so Range
 * requests and GiB files stream with constant memory.
 */
export class GeneratedContent {
  private sha256Hex: Promise<string> | undefined;
  private sha1Hex: Promise<string> | undefined;

  constructor(
    readonly seed: string,
    readonly size: number,
  ) {}

  /** Bytes `start`…`end` (inclusive) as a stream of at most 1 MiB chunks. */
  stream(start = 0, end = this.size - 1): Readable {
    return Readable.from(this.chunks(start, end), { objectMode: false });
  }

  *chunks(start: number, end: number): Generator<Buffer> {
    let position = start;
    while (position <= end) {
      const blockIndex = Math.floor(position / CONTENT_BLOCK_SIZE);
      const blockStart = blockIndex * CONTENT_BLOCK_SIZE;
      const from = position - blockStart;
      const to = Math.min(CONTENT_BLOCK_SIZE, end - blockStart + 1);
      yield this.block(blockIndex).subarray(from, to);
      position = blockStart + to;
    }
  }

  sha256(): Promise<string> {
    this.sha256Hex ??= this.digest('sha256');
    return this.sha256Hex;
  }

  /** Moodle's contenthash is the SHA-1 of the content; for big files a stable derived value stands in. */
  contenthash(): Promise<string> {
    if (this.size > CONTENTHASH_LIMIT) {
      return Promise.resolve(createHash('sha1').update(`ferry-emulator:${this.seed}:${this.size}`).digest('hex'));
    }
    this.sha1Hex ??= this.digest('sha1');
    return this.sha1Hex;
  }

  private async digest(algorithm: 'sha1' | 'sha256'): Promise<string> {
    const hash = createHash(algorithm);
    for (const chunk of this.chunks(0, this.size - 1)) {
      hash.update(chunk);
      // Let the event loop breathe between blocks of a big file.
      if (chunk.length === CONTENT_BLOCK_SIZE) await new Promise<void>((next) => setImmediate(next));
    }
    return hash.digest('hex');
  }

  private block(index: number): Buffer {
    const base = baseBlock(this.seed);
    const block = Buffer.allocUnsafe(CONTENT_BLOCK_SIZE);
    base.copy(block);
    block.writeBigUInt64BE(BigInt(index) ^ base.readBigUInt64BE(0), 0);
    return block;
  }
}

function baseBlock(seed: string): Buffer {
  const cached = baseBlocks.get(seed);
  if (cached) {
    baseBlocks.delete(seed);
    baseBlocks.set(seed, cached);
    return cached;
  }
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const block = Buffer.concat([cipher.update(Buffer.alloc(CONTENT_BLOCK_SIZE)), cipher.final()]);
  baseBlocks.set(seed, block);
  if (baseBlocks.size > BASE_BLOCK_CACHE_SIZE) baseBlocks.delete(baseBlocks.keys().next().value as string);
  return block;
}
