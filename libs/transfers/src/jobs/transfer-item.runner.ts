import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import { BlobStorage, DEFAULT_STREAMING_UPLOAD_SETTINGS, StreamingBlobUploader, type BlobUploadResult } from '@ferry/azure-storage';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError } from '@ferry/errors';
import { Repository } from 'typeorm';
import { TransferJournal } from '../transfer-journal.service';
import { TransferItem } from '../transfer-item.entity';
import { TransferItemRepository } from '../transfer-item.repository';
import { TransferSettlement } from '../transfer-settlement.service';
import { Transfer } from '../transfer.entity';
import type { TransferJobData } from '../transfers.queue';
import { UploadCheckpointRepository } from '../upload-checkpoint.store';
import { resolveUploadTarget, type UploadTarget } from './blob-conflicts';
import { MOODLE_SESSIONS, type MoodleSessionSource, type TransferMoodleSession, type TransferTokenOwner } from './moodle-session-source';
import { ProgressRecorder } from './progress-recorder';
import { Semaphore } from './semaphore';
import { skipBytes } from './skip-bytes';
import {
  describeTransferError,
  isRetryableTransferError,
  SOURCE_CHANGED,
  TransferCancelled,
  VERIFY_MISMATCH,
  WorkerShuttingDown,
} from './transfer-errors';

export type ItemOutcome = 'succeeded' | 'skipped' | 'cancelled' | 'not_runnable';

const WORKER_NAME = `${hostname()}:${process.pid}`;
/** A file this small goes up in one request (one Put Blob): it never resumes mid-file. */
const ONE_BLOCK = DEFAULT_STREAMING_UPLOAD_SETTINGS.blockSize;
const TRANSFER_CACHE_MS = 60_000;

/** Azure metadata values must be printable ASCII: anything else is percent-encoded. */
function asciiMetadata(value: string): string {
  return value.replace(/[^\x20-\x7e]|%/g, (character) => encodeURIComponent(character));
}

/**
 * One attempt at one item: claim it, resolve the blob name conflict, stream Moodle → Azure through
 * the uploader (resuming from the checkpoint), record the outcome and every step as events.
 * Retryable failures rethrow for BullMQ's backoff; final ones are recorded here, in one place.
 */
@Injectable()
export class TransferItemRunner {
  private readonly logger = new Logger(TransferItemRunner.name);
  private readonly batches = new Map<string, { transfer: Transfer; until: number }>();
  /** Multi-block files each hold up to (blocks in flight + 1) × 8 MiB: WORKER_CONCURRENCY of them at once bounds memory. */
  private readonly largeFiles: Semaphore;

  constructor(
    @InjectRepository(TransferItem) private readonly items: Repository<TransferItem>,
    @InjectRepository(Transfer) private readonly transfers: Repository<Transfer>,
    @Inject(MOODLE_SESSIONS) private readonly moodle: MoodleSessionSource,
    private readonly uploader: StreamingBlobUploader,
    private readonly storage: BlobStorage,
    private readonly checkpoints: UploadCheckpointRepository,
    private readonly records: TransferItemRepository,
    private readonly journal: TransferJournal,
    private readonly settlement: TransferSettlement,
    private readonly config: FerryConfig,
  ) {
    this.largeFiles = new Semaphore(config.worker.concurrency);
  }

  /** `controller` is the item's: the processor aborts it on cancel or shutdown, the runner when it finds the item cancelled. */
  async run(job: Job<TransferJobData>, controller: AbortController): Promise<ItemOutcome> {
    const { signal } = controller;
    const { transferId, itemId } = job.data;
    const item = await this.records.claim(transferId, itemId, { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1, worker: WORKER_NAME });
    if (!item) return 'not_runnable';
    const transfer = await this.batch(transferId);

    const progress = new ProgressRecorder(
      (bytes) => this.saveProgress(itemId, bytes),
      // The progress write found the item no longer running: cancelled, and the broadcast missed us.
      () => controller.abort(new TransferCancelled()),
    );
    try {
      const owner: TransferTokenOwner = { platformId: job.data.platformId, userId: job.data.userId };
      const target = await resolveUploadTarget(this.storage, {
        policy: transfer.conflictPolicy,
        container: transfer.container,
        blobName: item.blobName,
        itemId,
        size: item.size,
        knownSha256: (sha256) => this.wasTransferredBefore(transfer.platformId, item, sha256),
        signal,
      });
      if (target.kind === 'skip') return await this.recordSkipped(item, target);
      if (target.renamedFrom) {
        await this.items.update({ id: itemId }, { blobName: target.blobName });
        await this.journal.record({ transferId, itemId, type: 'renamed', data: { from: target.renamedFrom, to: target.blobName } });
      }
      const release = item.size > ONE_BLOCK ? await this.largeFiles.acquire(signal) : () => undefined;
      let result: BlobUploadResult;
      try {
        result = await this.upload(owner, transfer, item, target, signal, progress);
      } finally {
        release();
      }
      await progress.settle();
      await this.verify(transfer, target.blobName, result, signal);
      return await this.recordSucceeded(item, target.blobName, result);
    } catch (error) {
      await progress.settle();
      return this.handleFailure(job, item, error, signal);
    }
  }

  /**
   * The batch's row, and its move to `running`, once per batch per worker for a while: its
   * container and policy never change, and thousands of small files should not each pay for it.
   */
  private async batch(transferId: string): Promise<Transfer> {
    const cached = this.batches.get(transferId);
    if (cached && cached.until > Date.now()) return cached.transfer;
    await this.transfers
      .createQueryBuilder()
      .update(Transfer)
      .set({ status: 'running', startedAt: () => 'COALESCE(started_at, now())' })
      .where('id = :transferId AND status = :queued', { transferId, queued: 'queued' })
      .execute();
    const transfer = await this.transfers.findOneByOrFail({ id: transferId });
    if (this.batches.size > 1000) this.batches.clear();
    this.batches.set(transferId, { transfer, until: Date.now() + TRANSFER_CACHE_MS });
    return transfer;
  }

  private async saveProgress(itemId: string, bytes: number): Promise<boolean> {
    const result = await this.items
      .createQueryBuilder()
      .update(TransferItem)
      .set({ bytesDone: bytes })
      .where('id = :itemId AND status = :running', { itemId, running: 'running' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async wasTransferredBefore(platformId: string, item: TransferItem, sha256: string): Promise<boolean> {
    const rows = await this.items.query(
      `SELECT 1 FROM transfer_items i JOIN transfers t ON t.id = i.transfer_id
        WHERE t.platform_id = $1 AND i.file_id = $2 AND i.size = $3 AND i.timemodified = $4
          AND i.status = 'succeeded' AND i.sha256 = $5 LIMIT 1`,
      [platformId, item.fileId, item.size, item.timemodified, sha256],
    );
    return rows.length > 0;
  }

  private async upload(
    owner: TransferTokenOwner,
    transfer: Transfer,
    item: TransferItem,
    target: Extract<UploadTarget, { kind: 'upload' }>,
    signal: AbortSignal,
    progress: ProgressRecorder,
  ): Promise<BlobUploadResult> {
    return this.moodle.withMoodle(owner, async (session) => {
      let current: TransferMoodleSession = session;
      let refreshed = false;
      const openSource = async (offset: number, sourceSignal: AbortSignal): Promise<Readable> => {
        const open = () => current.client.openFileStream(item.fileurl, { range: offset > 0 ? { start: offset } : undefined, signal: sourceSignal });
        let download;
        try {
          download = await open();
        } catch (error) {
          if (!(error instanceof FerryError && error.code === ErrorCode.MoodleTokenInvalid) || refreshed) throw error;
          // The token expired between the claim and the download: refresh once and go on.
          refreshed = true;
          current = await this.moodle.refreshNow(owner, current.token);
          await this.journal.record({ transferId: transfer.id, itemId: item.id, type: 'token_refreshed', data: { atByte: offset } });
          download = await open();
        }
        const total = download.contentRange?.total ?? (download.status === 200 ? download.contentLength : null);
        if (total !== null && total !== item.size) {
          download.body.destroy();
          throw new FerryError(
            ErrorCode.SizeMismatch,
            `Moodle serves ${total} bytes for this file but listed ${item.size}; nothing was committed.`,
            { expectedSize: item.size, actualSize: total },
          );
        }
        if (offset > 0 && item.sourceEtag && download.etag && download.etag !== item.sourceEtag) {
          download.body.destroy();
          await this.checkpoints.clear(item.id);
          throw new FerryError(ErrorCode.MoodleError, 'The file changed in Moodle since the transfer began; it starts over.', {
            reason: SOURCE_CHANGED,
          });
        }
        if (!item.sourceEtag && download.etag && item.size > ONE_BLOCK) {
          item.sourceEtag = download.etag;
          await this.items.update({ id: item.id }, { sourceEtag: download.etag });
        }
        if (offset > 0) {
          await this.journal.record({ transferId: transfer.id, itemId: item.id, type: 'resumed', data: { fromByte: offset, rangeHonoured: download.status === 206 } });
        }
        return download.status === 200 && offset > 0 ? skipBytes(download.body, offset) : download.body;
      };
      return this.uploader.upload(
        {
          container: transfer.container,
          blobName: target.blobName,
          expectedSize: item.size,
          contentType: item.mimetype ?? 'application/octet-stream',
          metadata: {
            ferryitem: item.id,
            ferrytransfer: transfer.id,
            moodlefileurl: asciiMetadata(item.fileurl),
            moodletimemodified: String(item.timemodified),
          },
          condition: target.condition,
          uploadId: item.id,
          openSource,
          checkpoints: this.checkpoints.forAttempt(item),
        },
        { signal, onProgress: (report) => progress.report(report.bytesRead) },
      );
    });
  }

  private async verify(transfer: Transfer, blobName: string, result: BlobUploadResult, signal: AbortSignal): Promise<void> {
    if (!this.config.transfers.verifyAfterUpload) return;
    const read = await this.storage.verifyBlob(transfer.container, blobName, signal);
    if (read.sha256 !== result.sha256 || read.size !== result.size) {
      throw new FerryError(ErrorCode.InternalError, 'The committed blob reads back different from what was streamed.', {
        reason: VERIFY_MISMATCH,
        streamed: result.sha256,
        stored: read.sha256,
      });
    }
  }

  private async recordSucceeded(item: TransferItem, blobName: string, result: BlobUploadResult): Promise<ItemOutcome> {
    // Cancelled while committing: the blob is there, and so it stays on record as cancelled.
    const outcome = await this.records.recordOutcome(
      item,
      { status: 'succeeded', blobName, sha256: result.sha256, md5: result.md5, etag: result.etag, bytesDone: result.size },
      {
        blobName,
        etag: result.etag,
        sha256: result.sha256,
        md5: result.md5,
        size: result.size,
        blocksStaged: result.blocksStaged,
        blocksReused: result.blocksReused,
        resumedFromByte: result.resumedFromByte,
        uploadedInOneRequest: result.uploadedInOneRequest,
      },
    );
    await this.settlement.settle(item.transferId);
    return outcome;
  }

  private async recordSkipped(item: TransferItem, target: Extract<UploadTarget, { kind: 'skip' }>): Promise<ItemOutcome> {
    const { existing } = target;
    const outcome = await this.records.recordOutcome(
      item,
      { status: 'skipped', blobName: item.blobName, sha256: existing.sha256, md5: existing.contentMD5, etag: existing.etag, bytesDone: 0 },
      { reason: 'identical', blobName: target.blobName, sha256: existing.sha256, etag: existing.etag },
    );
    await this.settlement.settle(item.transferId);
    return outcome;
  }

  private async handleFailure(job: Job<TransferJobData>, item: TransferItem, error: unknown, signal: AbortSignal): Promise<ItemOutcome> {
    const reason: unknown = signal.aborted ? signal.reason : null;
    if (reason instanceof TransferCancelled) {
      await this.journal.record({ transferId: item.transferId, itemId: item.id, type: 'cancelled', data: { by: 'worker', worker: WORKER_NAME } });
      await this.settlement.settle(item.transferId);
      return 'cancelled';
    }
    if (reason instanceof WorkerShuttingDown) {
      await this.items.update({ id: item.id, status: 'running' }, { status: 'queued' });
      await this.journal.record({ transferId: item.transferId, itemId: item.id, type: 'paused_for_shutdown', data: { worker: WORKER_NAME } });
      throw reason;
    }

    const described = describeTransferError(error);
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const retryable = isRetryableTransferError(error) && attempt < maxAttempts;
    if (retryable) {
      await this.items.update({ id: item.id, status: 'running' }, { status: 'queued', errorCode: described.code, errorMessage: described.message });
      await this.journal.record({ transferId: item.transferId, itemId: item.id, type: 'retry_scheduled', data: { attempt, maxAttempts, error: described } });
      throw error;
    }
    this.logger.warn(`Transfer item ${item.id} failed after ${attempt} attempt(s): ${described.code}: ${described.message}`);
    await this.items.update(
      { id: item.id, status: 'running' },
      { status: 'failed', errorCode: described.code, errorMessage: described.message, finishedAt: new Date() },
    );
    await this.journal.record({ transferId: item.transferId, itemId: item.id, type: 'failed', data: { attempt, error: described } });
    await this.settlement.settle(item.transferId);
    throw new UnrecoverableError(`${described.code}: ${described.message}`);
  }
}
