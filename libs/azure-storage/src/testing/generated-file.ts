// Test and benchmark support, not exported from the lib.
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;
const AES_BLOCK = 16;

/**
 * A file of any size whose bytes are an AES-128-CTR keystream: incompressible, deterministic from
 * the seed, and readable from any offset without producing the bytes before it, so a test can
 * stream GiBs and "resume" with a Range-like offset while holding one chunk at a time.
 */
export class GeneratedFile {
  private readonly key: Buffer;

  constructor(
    readonly size: number,
    seed = 1,
  ) {
    this.key = createHash('sha256').update(`generated-file:${seed}`).digest().subarray(0, 16);
  }

  /** The bytes from `offset` to the end, in chunks of at most 64 KiB. */
  open(offset = 0, options: { end?: number } = {}): Readable {
    const end = Math.min(options.end ?? this.size, this.size);
    const key = this.key;
    return Readable.from(
      (function* chunks() {
        for (let position = offset; position < end; position += CHUNK_BYTES) {
          yield keystream(key, position, Math.min(CHUNK_BYTES, end - position));
        }
      })(),
      { objectMode: false, highWaterMark: CHUNK_BYTES },
    );
  }

  async digests(): Promise<{ sha256: string; md5: string }> {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    for await (const chunk of this.open() as AsyncIterable<Buffer>) {
      sha256.update(chunk);
      md5.update(chunk);
    }
    return { sha256: sha256.digest('hex'), md5: md5.digest('base64') };
  }
}

function keystream(key: Buffer, position: number, length: number): Buffer {
  const skip = position % AES_BLOCK;
  const iv = Buffer.alloc(AES_BLOCK);
  iv.writeBigUInt64BE(BigInt(Math.floor(position / AES_BLOCK)), 8);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  return cipher.update(Buffer.alloc(skip + length)).subarray(skip);
}
