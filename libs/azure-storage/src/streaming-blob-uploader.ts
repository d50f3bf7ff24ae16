import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { BlockBlobClient, BlockBlobUploadOptions } from '@azure/storage-blob';
import { ErrorCode, FerryError, ValidationFailedError } from '@ferry/errors';
import { BlobStorage } from './blob-storage.service';
import { MAX_BLOCKS_PER_BLOB, blockIdFor, validateUploadId } from './block-ids';
import { INLINE_FILE_HASHING, type FileHashes, type FileHashing, type HashStates } from './file-hashes';
import { HashingThreads } from './hashing-threads';
import { blobExistsError, isBlobNotFound, isConditionFailure } from './storage-errors';

/** Where an interrupted upload stands: every block before `blockIndex` is staged, and the hashes cover exactly `bytes`. */
export interface UploadCheckpoint {
  /** The next block to stage. */
  blockIndex: number;
  bytes: number;
  /** hash-wasm `save()` states, base64. */
  sha256State: string;
  md5State: string;
}

export interface UploadCheckpointStore {
  load(uploadId: string): Promise<UploadCheckpoint | null>;
  save(uploadId: string, checkpoint: UploadCheckpoint): Promise<void>;
  clear(uploadId: string): Promise<void>;
}

/** `ifNoneMatch: '*'`: only if no blob has the name yet; `ifMatch`: only if the blob is still the one seen. */
export type BlobWriteCondition = { ifNoneMatch: '*' } | { ifMatch: string };

export interface BlobUploadRequest {
  container: string;
  blobName: string;
  /** The byte count the source announced; anything else fails with size_mismatch and commits nothing. */
  expectedSize: number;
  contentType: string;
  /** Stored with the blob, next to the `sha256` Ferry adds. Keys are C# identifiers, values printable ASCII. */
  metadata?: Record<string, string>;
  condition?: BlobWriteCondition | null;
  /** Stable across attempts (the transfer item id): block ids derive from it, so a new attempt finds the blocks staged before. */
  uploadId: string;
  /** Opens the source so that its first byte is byte `offset` of the file (an HTTP Range request), or throws. */
  openSource(offset: number, signal: AbortSignal): Promise<Readable>;
  checkpoints: UploadCheckpointStore;
}

export interface BlobUploadProgress {
  /** Bytes of the file read so far, counting those an earlier attempt already staged. */
  bytesRead: number;
  /** Bytes Azure has acknowledged, counting reused blocks. */
  bytesStaged: number;
  totalBytes: number;
  blocksStaged: number;
  blocksReused: number;
}

export interface BlobUploadOptions {
  signal?: AbortSignal;
  /** Called at most every 250 ms, and once at the end. */
  onProgress?: (progress: BlobUploadProgress) => void;
}

export interface BlobUploadResult {
  etag: string;
  /** Of the whole file, hex. */
  sha256: string;
  /** Of the whole file, base64, as Azure shows Content-MD5. */
  md5: string;
  size: number;
  blocksStaged: number;
  blocksReused: number;
  resumedFromByte: number;
  /** One Put Blob (a file of one block or less) rather than staged blocks and a block list. */
  uploadedInOneRequest: boolean;
}

export interface StreamingUploadSettings {
  /** Bytes per staged block (the last one is shorter). */
  blockSize: number;
  /** Blocks being staged at once; memory holds at most this many blocks plus the one being filled. */
  maxBlocksInFlight: number;
}

export const STREAMING_UPLOAD_SETTINGS = Symbol('STREAMING_UPLOAD_SETTINGS');

/**
 * 8 MiB blocks: above 4 MiB, Azure takes a block blob on its high-throughput path. Three in flight
 * and one filling, as the SDK's own uploadStream(…, 8 MiB, 4) does: 32 MiB a file. A fourth in
 * flight cost the worker 16 MiB of peak resident memory in bench/transfer and bought no throughput.
 */
export const DEFAULT_STREAMING_UPLOAD_SETTINGS: StreamingUploadSettings = { blockSize: 8 * 1024 * 1024, maxBlocksInFlight: 3 };

const MAX_BLOCK_SIZE = 4000 * 1024 * 1024;
/**
 * A source whose data is already buffered resolves every read as a microtask, which would let the
 * copying and hashing in this thread run for whole blocks without timers or other jobs getting a
 * turn: yield now and then.
 */
const YIELD_EVERY_BYTES = 1024 * 1024;
const PROGRESS_INTERVAL_MS = 250;
const METADATA_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METADATA_VALUE = /^[\x20-\x7e]*$/;

/** The whole-file hash states after a block, and how many bytes of the file they cover. */
interface BoundaryStates extends HashStates {
  bytes: number;
}

interface ResumePoint {
  blockIndex: number;
  bytes: number;
  hashes: FileHashes;
}

function sizeMismatch(expected: number, actual: number, more: boolean): FerryError {
  return new FerryError(
    ErrorCode.SizeMismatch,
    more
      ? `The source sent more than the ${expected} bytes it announced; nothing was committed.`
      : `The source sent ${actual} bytes but announced ${expected}; nothing was committed.`,
    { expectedSize: expected, actualSize: more ? null : actual },
  );
}

/** Azure metadata names are case-insensitive: the caller's `sha256`, in any case, gives way to Ferry's. */
function withoutOwnKeys(metadata: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => key.toLowerCase() !== 'sha256'));
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The upload was cancelled.', 'AbortError');
}

/**
 * Streams one file into a block blob with bounded memory: cuts the source into blocks, hashes the
 * whole file (SHA-256 + MD5) on the way, stages several blocks at once with a per-block MD5 Azure
 * checks, checkpoints after each staged prefix, and commits with the whole-file MD5 only when the
 * byte count is right. A later call with the same `uploadId` continues from the staged blocks.
 * The whole-file hashes of a file of several blocks run in `HashingThreads` when it is given
 * (AzureStorageModule gives it), beside the thread that moves the bytes. A file of one block or
 * less goes up in a single Put Blob instead (`putWholeBlob`).
 */
@Injectable()
export class StreamingBlobUploader {
  private readonly settings: StreamingUploadSettings;

  constructor(
    private readonly storage: BlobStorage,
    @Optional() @Inject(STREAMING_UPLOAD_SETTINGS) settings?: Partial<StreamingUploadSettings>,
    @Optional() private readonly hashingThreads?: HashingThreads,
  ) {
    this.settings = { ...DEFAULT_STREAMING_UPLOAD_SETTINGS, ...settings };
    const { blockSize, maxBlocksInFlight } = this.settings;
    if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
      throw new RangeError(`blockSize must be an integer from 1 to ${MAX_BLOCK_SIZE} bytes.`);
    }
    if (!Number.isInteger(maxBlocksInFlight) || maxBlocksInFlight < 1) throw new RangeError('maxBlocksInFlight must be at least 1.');
  }

  async upload(request: BlobUploadRequest, options: BlobUploadOptions = {}): Promise<BlobUploadResult> {
    this.validate(request);
    const external = options.signal;
    if (external?.aborted) throw abortReason(external);
    // One internal signal stops everything at once: the caller's cancel, or the first failure.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(abortReason(external as AbortSignal));
    external?.addEventListener('abort', forwardAbort, { once: true });
    const multiBlock = request.expectedSize > this.settings.blockSize;
    const hashing = multiBlock ? (this.hashingThreads ?? INLINE_FILE_HASHING) : INLINE_FILE_HASHING;
    const blob = this.storage.blockBlobClient(request.container, request.blobName);
    const run = new UploadRun(this.settings, request, blob, hashing, controller, options.onProgress);
    try {
      return await run.execute();
    } catch (error) {
      // A broken download leaves the blocks already handed to Azure worth keeping: let them land
      // and be checkpointed, so the retry skips them. Anything else stops at once.
      if (run.sourceFailed && !controller.signal.aborted) await run.settle();
      controller.abort(error);
      await run.settle();
      if (error instanceof FerryError && error.code === ErrorCode.SizeMismatch) await request.checkpoints.clear(request.uploadId);
      throw external?.aborted ? abortReason(external) : error;
    } finally {
      run.release();
      external?.removeEventListener('abort', forwardAbort);
    }
  }

  private validate(request: BlobUploadRequest): void {
    const fields: Record<string, string[]> = {};
    const uploadIdProblems = validateUploadId(request.uploadId);
    if (uploadIdProblems.length > 0) fields.uploadId = uploadIdProblems;
    if (!Number.isSafeInteger(request.expectedSize) || request.expectedSize < 0) {
      fields.expectedSize = ['The expected size must be a whole number of bytes.'];
    } else if (Math.ceil(request.expectedSize / this.settings.blockSize) > MAX_BLOCKS_PER_BLOB) {
      fields.expectedSize = [`A file this large needs more than ${MAX_BLOCKS_PER_BLOB} blocks of ${this.settings.blockSize} bytes; raise the block size.`];
    }
    if (request.blobName.length === 0) fields.blobName = ['The blob name must not be empty.'];
    for (const [key, value] of Object.entries(request.metadata ?? {})) {
      if (key.toLowerCase() === 'sha256') continue;
      if (!METADATA_KEY.test(key)) (fields.metadata ??= []).push(`Metadata key "${key}" must be letters, digits and _, not starting with a digit.`);
      if (!METADATA_VALUE.test(value)) (fields.metadata ??= []).push(`Metadata "${key}" must be printable ASCII (percent-encode URLs and names).`);
    }
    if (Object.keys(fields).length > 0) throw new ValidationFailedError(fields);
  }
}

/** One call of `upload`: the mutable state of a single attempt. */
class UploadRun {
  private readonly blockCount: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly bufferPool: Buffer[] = [];
  private readonly boundaryStates = new Map<number, BoundaryStates>();
  private hashes: FileHashes | null = null;
  private readonly stagedOutOfOrder = new Set<number>();
  private failure: unknown = null;
  /** The source threw (not a cancel, a storage failure or a size mismatch). */
  sourceFailed = false;
  private firstUnconfirmedBlock = 0;
  private blocksStaged = 0;
  private blocksReused = 0;
  private bytesRead = 0;
  private bytesStaged = 0;
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private pendingCheckpoint: UploadCheckpoint | null = null;
  private savingCheckpoints: Promise<void> | null = null;

  constructor(
    private readonly settings: StreamingUploadSettings,
    private readonly request: BlobUploadRequest,
    private readonly blob: BlockBlobClient,
    private readonly hashing: FileHashing,
    private readonly controller: AbortController,
    private readonly onProgress?: (progress: BlobUploadProgress) => void,
  ) {
    this.blockCount = Math.ceil(request.expectedSize / settings.blockSize);
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  async execute(): Promise<BlobUploadResult> {
    if (this.request.expectedSize <= this.settings.blockSize) return this.putWholeBlob();
    const { request } = this;
    const [checkpoint, blockList] = await Promise.all([request.checkpoints.load(request.uploadId), this.readBlockList()]);

    const committedByThisUpload = await this.findOwnCommittedBlob(blockList.committed);
    if (committedByThisUpload) {
      await request.checkpoints.clear(request.uploadId);
      return committedByThisUpload;
    }

    const resume = await this.resumePoint(checkpoint, blockList.uncommitted);
    this.hashes = resume?.hashes ?? null;
    if (!resume && checkpoint) await request.checkpoints.clear(request.uploadId);
    this.hashes ??= await this.hashing.open();
    const hashes = this.hashes;
    const resumedFromByte = resume?.bytes ?? 0;
    const firstBlock = resume?.blockIndex ?? 0;
    this.firstUnconfirmedBlock = firstBlock;
    this.blocksReused = firstBlock;
    this.bytesRead = resumedFromByte;
    this.bytesStaged = resumedFromByte;

    if (resumedFromByte < request.expectedSize) await this.streamBlocks(firstBlock, hashes);
    await this.drain();
    this.signal.throwIfAborted();

    const { sha256: sha256Hex, md5: md5Bytes } = await hashes.digest();
    const blockIds = Array.from({ length: this.blockCount }, (_, index) => blockIdFor(request.uploadId, index));
    const committed = await this.blob
      .commitBlockList(blockIds, {
        blobHTTPHeaders: { blobContentType: request.contentType, blobContentMD5: md5Bytes },
        metadata: { ...withoutOwnKeys(request.metadata), sha256: sha256Hex },
        conditions: request.condition ?? undefined,
        abortSignal: this.signal,
      })
      .catch((error: unknown) => {
        throw isConditionFailure(error) ? blobExistsError(request.container, request.blobName, error) : error;
      });
    await request.checkpoints.clear(request.uploadId);
    this.reportProgress(true);
    return {
      etag: committed.etag as string,
      sha256: sha256Hex,
      md5: Buffer.from(md5Bytes).toString('base64'),
      size: request.expectedSize,
      blocksStaged: this.blocksStaged,
      blocksReused: this.blocksReused,
      resumedFromByte,
      uploadedInOneRequest: false,
    };
  }

  /**
   * A file of one block or less goes up in one Put Blob: its Content-MD5 is checked by Azure on the
   * way (as a staged block's is) and stored as the blob's, under the same write condition. There
   * is no block list to read and nothing to resume: a new attempt reads the file again, which
   * costs less than the requests resuming would. With no hash state to save, node:crypto hashes.
   */
  private async putWholeBlob(): Promise<BlobUploadResult> {
    const { request } = this;
    const body = Buffer.allocUnsafe(request.expectedSize);
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let filled = 0;
    await this.readSource(
      () => Number.POSITIVE_INFINITY,
      (piece) => {
        sha256.update(piece);
        md5.update(piece);
        filled += piece.copy(body, filled);
      },
    );
    const sha256Hex = sha256.digest('hex');
    const md5Bytes = md5.digest();
    // The SDK sends `transactionalContentMD5` as Put Blob's Content-MD5 (setUploadChecksumParameters
    // reads it) although BlockBlobUploadOptions does not declare it.
    const options: BlockBlobUploadOptions & { transactionalContentMD5: Uint8Array } = {
      transactionalContentMD5: md5Bytes,
      blobHTTPHeaders: { blobContentType: request.contentType, blobContentMD5: md5Bytes },
      metadata: { ...withoutOwnKeys(request.metadata), sha256: sha256Hex },
      conditions: request.condition ?? undefined,
      abortSignal: this.signal,
    };
    const uploaded = await this.blob.upload(body, body.length, options).catch((error: unknown) => {
      throw isConditionFailure(error) ? blobExistsError(request.container, request.blobName, error) : error;
    });
    await request.checkpoints.clear(request.uploadId);
    this.bytesStaged = request.expectedSize;
    this.reportProgress(true);
    return {
      etag: uploaded.etag as string,
      sha256: sha256Hex,
      md5: md5Bytes.toString('base64'),
      size: request.expectedSize,
      blocksStaged: 0,
      blocksReused: 0,
      resumedFromByte: 0,
      uploadedInOneRequest: true,
    };
  }

  /** Waits for hashing, staging and checkpoint writes still running, so nothing outlives `upload`. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    while (this.savingCheckpoints) await this.savingCheckpoints;
  }

  /** After `settle`: gives the hashes back (a hashing thread's session). */
  release(): void {
    this.hashes?.close();
    this.hashes = null;
  }

  private async readBlockList(): Promise<{ committed: Array<{ name: string; size: number }>; uncommitted: Map<string, number> }> {
    try {
      const list = await this.blob.getBlockList('all', { abortSignal: this.signal });
      return {
        committed: (list.committedBlocks ?? []).map((block) => ({ name: block.name, size: block.size })),
        uncommitted: new Map((list.uncommittedBlocks ?? []).map((block) => [block.name, block.size])),
      };
    } catch (error) {
      if (isBlobNotFound(error)) return { committed: [], uncommitted: new Map() };
      throw error;
    }
  }

  private blockLength(index: number): number {
    const { blockSize } = this.settings;
    return Math.min(blockSize, this.request.expectedSize - index * blockSize);
  }

  /**
   * A worker that died between commit and its own bookkeeping left a blob made of exactly this
   * upload's blocks: that is this upload's result, not a conflicting blob.
   */
  private async findOwnCommittedBlob(committed: Array<{ name: string; size: number }>): Promise<BlobUploadResult | null> {
    const ownBlocks =
      this.blockCount > 0 &&
      committed.length === this.blockCount &&
      committed.every((block, index) => block.name === blockIdFor(this.request.uploadId, index) && block.size === this.blockLength(index));
    if (!ownBlocks) return null;
    const properties = await this.blob.getProperties({ abortSignal: this.signal });
    const sha256 = properties.metadata?.sha256;
    if (!sha256 || !properties.contentMD5 || !properties.etag) return null;
    this.blocksReused = this.blockCount;
    this.bytesRead = this.bytesStaged = this.request.expectedSize;
    this.reportProgress(true);
    return {
      etag: properties.etag,
      sha256,
      md5: Buffer.from(properties.contentMD5).toString('base64'),
      size: this.request.expectedSize,
      blocksStaged: 0,
      blocksReused: this.blockCount,
      resumedFromByte: this.request.expectedSize,
      uploadedInOneRequest: false,
    };
  }

  /**
   * The checkpoint is usable only when every block it covers is still staged with the right size
   * (Azure drops uncommitted blocks when someone commits the blob, and after a week), because its
   * hash states stand for exactly those bytes. Otherwise the upload starts over.
   */
  private async resumePoint(checkpoint: UploadCheckpoint | null, staged: Map<string, number>): Promise<ResumePoint | null> {
    if (!checkpoint) return null;
    const { blockIndex, bytes } = checkpoint;
    const { blockSize } = this.settings;
    const coversWholeFile = blockIndex === this.blockCount && bytes === this.request.expectedSize;
    const consistent =
      Number.isInteger(blockIndex) && blockIndex > 0 && blockIndex <= this.blockCount && (bytes === blockIndex * blockSize || coversWholeFile);
    if (!consistent) return null;
    for (let index = 0; index < blockIndex; index++) {
      if (staged.get(blockIdFor(this.request.uploadId, index)) !== this.blockLength(index)) return null;
    }
    try {
      const hashes = await this.hashing.open({ sha256: Buffer.from(checkpoint.sha256State, 'base64'), md5: Buffer.from(checkpoint.md5State, 'base64') });
      return { blockIndex, bytes, hashes };
    } catch {
      return null;
    }
  }

  private async streamBlocks(firstBlock: number, hashes: FileHashes): Promise<void> {
    const { blockSize } = this.settings;
    const { expectedSize } = this.request;
    let blockIndex = firstBlock;
    // A block's buffer is no larger than what is left of the file.
    const nextBuffer = () => this.takeBuffer(Math.max(1, Math.min(blockSize, expectedSize - this.bytesRead)));
    let block = nextBuffer();
    let filled = 0;
    let blockMd5 = createHash('md5');
    await this.readSource(
      () => blockSize - filled,
      async (piece) => {
        // The block's own MD5 as its bytes arrive; the whole-file hashes take the block once it is full.
        blockMd5.update(piece);
        piece.copy(block, filled);
        filled += piece.length;
        // The last block goes as soon as its last byte is in: a source that fails after that loses nothing.
        if (filled < blockSize && this.bytesRead < expectedSize) return;
        const digest = blockMd5.digest();
        await this.waitForStagingSlot();
        this.hashAndStage(blockIndex, block, filled, digest, this.bytesRead, hashes);
        blockIndex += 1;
        block = nextBuffer();
        filled = 0;
        blockMd5 = createHash('md5');
      },
    );
  }

  /**
   * Reads the source from byte `bytesRead` to the end, holding it to the expected size, and hands
   * `take` its bytes in pieces of at most `room()`, in order, waiting for each.
   */
  private async readSource(room: () => number, take: (piece: Buffer) => Promise<void> | void): Promise<void> {
    const { expectedSize } = this.request;
    const source = await this.request.openSource(this.bytesRead, this.signal);
    const destroySource = () => source.destroy(this.signal.reason instanceof Error ? this.signal.reason : undefined);
    if (this.signal.aborted) destroySource();
    this.signal.addEventListener('abort', destroySource, { once: true });
    let bytesSinceYield = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        for (let offset = 0; offset < bytes.length; ) {
          const length = Math.min(bytes.length - offset, room());
          if (this.bytesRead + length > expectedSize) throw sizeMismatch(expectedSize, this.bytesRead + length, true);
          const piece = bytes.subarray(offset, offset + length);
          offset += length;
          this.bytesRead += length;
          const taking = take(piece);
          if (taking) await taking;
          bytesSinceYield += length;
          if (bytesSinceYield >= YIELD_EVERY_BYTES) {
            bytesSinceYield = 0;
            await nextTurn();
          }
        }
        this.throwIfFailed();
        this.reportProgress(false);
      }
      if (this.bytesRead !== expectedSize) throw sizeMismatch(expectedSize, this.bytesRead, false);
    } catch (error) {
      if (this.failure === null && !this.signal.aborted && !(error instanceof FerryError)) this.sourceFailed = true;
      throw this.failure ?? error;
    } finally {
      this.signal.removeEventListener('abort', destroySource);
      if (!source.destroyed) source.destroy();
    }
  }

  private takeBuffer(size: number): Buffer {
    const pooled = this.bufferPool.pop();
    return pooled && pooled.length >= size ? pooled : this.hashing.allocateBlock(size);
  }

  private async waitForStagingSlot(): Promise<void> {
    while (this.inFlight.size >= this.settings.maxBlocksInFlight) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  /**
   * Hands a full block to the whole-file hashes (in file order), then stages it. It holds a staging
   * slot from now until Azure has it, so blocks being hashed count against maxBlocksInFlight too.
   */
  private hashAndStage(index: number, buffer: Buffer, length: number, md5: Buffer, bytesAfter: number, hashes: FileHashes): void {
    const body = length === buffer.length ? buffer : buffer.subarray(0, length);
    const work = hashes
      .hashBlock(body)
      .then((states) => {
        this.boundaryStates.set(index, { bytes: bytesAfter, ...states });
        return this.blob.stageBlock(blockIdFor(this.request.uploadId, index), body, length, { transactionalContentMD5: md5, abortSignal: this.signal });
      })
      .then(
        () => {
          this.blocksStaged += 1;
          this.bytesStaged += length;
          this.bufferPool.push(buffer);
          this.confirmStaged(index);
          this.reportProgress(false);
        },
        (error: unknown) => this.fail(error),
      )
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Advances the checkpoint over the longest run of staged blocks, so it never covers a block still in flight. */
  private confirmStaged(index: number): void {
    this.stagedOutOfOrder.add(index);
    const before = this.firstUnconfirmedBlock;
    while (this.stagedOutOfOrder.delete(this.firstUnconfirmedBlock)) this.firstUnconfirmedBlock += 1;
    if (this.firstUnconfirmedBlock === before) return;
    const lastConfirmed = this.firstUnconfirmedBlock - 1;
    const states = this.boundaryStates.get(lastConfirmed) as BoundaryStates;
    for (let staleIndex = before; staleIndex <= lastConfirmed; staleIndex++) this.boundaryStates.delete(staleIndex);
    this.saveCheckpoint({
      blockIndex: this.firstUnconfirmedBlock,
      bytes: states.bytes,
      sha256State: Buffer.from(states.sha256).toString('base64'),
      md5State: Buffer.from(states.md5).toString('base64'),
    });
  }

  /** Writes checkpoints one at a time, skipping to the newest when they come faster than the store takes them. */
  private saveCheckpoint(checkpoint: UploadCheckpoint): void {
    this.pendingCheckpoint = checkpoint;
    if (this.savingCheckpoints) return;
    const save = async () => {
      try {
        while (this.pendingCheckpoint && !this.signal.aborted) {
          const next = this.pendingCheckpoint;
          this.pendingCheckpoint = null;
          await this.request.checkpoints.save(this.request.uploadId, next);
        }
      } catch (error) {
        this.fail(error);
      } finally {
        this.savingCheckpoints = null;
      }
    };
    this.savingCheckpoints = save();
  }

  private async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
    while (this.savingCheckpoints) await this.savingCheckpoints;
    this.throwIfFailed();
  }

  private fail(error: unknown): void {
    if (this.failure === null) this.failure = error;
    this.controller.abort(error);
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  private reportProgress(final: boolean): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!final && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    try {
      this.onProgress({
        bytesRead: this.bytesRead,
        bytesStaged: this.bytesStaged,
        totalBytes: this.request.expectedSize,
        blocksStaged: this.blocksStaged,
        blocksReused: this.blocksReused,
      });
    } catch (error) {
      this.fail(error);
    }
  }
}
