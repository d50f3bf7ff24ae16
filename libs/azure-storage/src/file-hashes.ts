import { setImmediate as nextTurn } from 'node:timers/promises';
import { createMD5, createSHA256, type IHasher } from 'hash-wasm';

/** hash-wasm `save()` states of the whole-file SHA-256 and MD5, standing for a prefix of the file. */
export interface HashStates {
  sha256: Uint8Array;
  md5: Uint8Array;
}

export interface FileDigests {
  /** Hex. */
  sha256: string;
  md5: Uint8Array;
}

/**
 * The whole-file SHA-256 and MD5 of one upload, fed one block after another in file order, with the
 * states after each block, so that a checkpoint can resume them. Calls may overlap: blocks are
 * hashed in the order `hashBlock` was called, and `digest` covers every block handed in before it.
 */
export interface FileHashes {
  /** The caller keeps `block` unchanged until the promise settles. */
  hashBlock(block: Uint8Array): Promise<HashStates>;
  digest(): Promise<FileDigests>;
  /** Frees what the hashes hold; nothing may be called after it. */
  close(): void;
}

/** Hashing a large block in one go would hold the event loop for tens of milliseconds. */
const SLICE_BYTES = 1024 * 1024;

/** Whole-file hashes computed in this thread, a slice at a time, yielding between slices. */
export class InlineFileHashes implements FileHashes {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly sha256: IHasher,
    private readonly md5: IHasher,
  ) {}

  /** Starts from the beginning of the file, or from `states` (a checkpoint's). Throws on states hash-wasm refuses. */
  static async open(states?: HashStates): Promise<InlineFileHashes> {
    const sha256 = await createSHA256();
    const md5 = await createMD5();
    if (states) {
      sha256.load(states.sha256);
      md5.load(states.md5);
    }
    return new InlineFileHashes(sha256, md5);
  }

  hashBlock(block: Uint8Array): Promise<HashStates> {
    return this.inOrder(async () => {
      for (let offset = 0; offset < block.length; offset += SLICE_BYTES) {
        if (offset > 0) await nextTurn();
        this.throwIfClosed();
        const slice = block.subarray(offset, offset + SLICE_BYTES);
        this.sha256.update(slice);
        this.md5.update(slice);
      }
      return { sha256: this.sha256.save(), md5: this.md5.save() };
    });
  }

  digest(): Promise<FileDigests> {
    return this.inOrder(async () => ({ sha256: this.sha256.digest('hex'), md5: this.md5.digest('binary') }));
  }

  /** Blocks still queued are not hashed: an upload that stopped does not pay for them. */
  close(): void {
    this.closed = true;
  }

  private throwIfClosed(): void {
    if (this.closed) throw new Error('The file hashes were closed.');
  }

  private inOrder<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      this.throwIfClosed();
      return work();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** Where an upload gets its whole-file hashes: this thread, or hashing threads beside it. */
export interface FileHashing {
  /** A block buffer these hashes read without copying. */
  allocateBlock(size: number): Buffer;
  /** Throws when hash-wasm refuses `states`. */
  open(states?: HashStates): Promise<FileHashes>;
}

export const INLINE_FILE_HASHING: FileHashing = {
  allocateBlock: (size) => Buffer.allocUnsafe(size),
  open: (states) => InlineFileHashes.open(states),
};
