import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FerryConfig } from '@ferry/config';
import { InjectRedis } from '@ferry/redis';
import { parseCancelMessage } from '../transfer-cancel.bus';
import { isTransferJobData, TRANSFER_CANCEL_CHANNEL, transferRetryDelay, type TransferJobData } from '../transfers.queue';
import { TransferCancelled, WorkerShuttingDown } from './transfer-errors';
import { TransferItemRunner, type ItemOutcome } from './transfer-item.runner';

interface RunningItem {
  transferId: string;
  controller: AbortController;
}

/**
 * How long uploads stay safe in BullMQ: the lock is renewed every lockDuration/2 while the job runs
 * (the uploader yields to the event loop, so renewals are never starved); a job whose worker went
 * silent for a whole lockDuration is taken back by the stalled check and resumes elsewhere.
 */
export function transferWorkerOptions(config: FerryConfig): Omit<WorkerOptions, 'connection'> {
  return {
    // The connection comes from the queue's registration (TransfersModule).
    autorun: false,
    // Large files beyond WORKER_CONCURRENCY wait in the runner; small ones fill the other places.
    concurrency: config.worker.concurrency + config.transfers.smallFileConcurrency,
    lockDuration: config.transfers.lockDurationMs,
    stalledInterval: config.transfers.stalledIntervalMs,
    // A worker killed twice on the same file is suspicious, a third time is a pattern: fail it then.
    maxStalledCount: 2,
    settings: { backoffStrategy: (attemptsMade: number) => transferRetryDelay(attemptsMade, config.transfers.retryBaseDelayMs) },
  };
}

/**
 * Drains the "transfers" queue: one job per item, delegated to `TransferItemRunner`. Cancels reach
 * running items over Redis pub/sub; SIGTERM stops taking jobs and sends running ones back to the
 * queue at their last checkpoint. Registered by the worker app only (`TransfersWorkerModule`).
 */
@Injectable()
export class TransferItemProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TransferItemProcessor.name);
  private readonly running = new Map<string, RunningItem>();
  private subscriber: Redis | null = null;
  private stopping = false;

  constructor(
    private readonly runner: TransferItemRunner,
    @InjectRedis() private readonly redis: Redis,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, raw: string) => this.onCancel(raw));
    await this.subscriber.subscribe(TRANSFER_CANCEL_CHANNEL);
    this.worker.on('error', (error) => this.logger.error(`Queue error: ${error.message}`));
    this.worker.run().catch((error: unknown) => this.logger.error(`The transfer worker stopped: ${String(error)}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const closing = this.worker.close();
    for (const item of this.running.values()) item.controller.abort(new WorkerShuttingDown());
    await closing;
    if (this.subscriber) await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Items running in this process right now (for health and tests). */
  get runningItems(): string[] {
    return [...this.running.keys()];
  }

  async process(job: Job<TransferJobData>, token?: string): Promise<ItemOutcome> {
    if (!isTransferJobData(job.data)) throw new UnrecoverableError('The job does not describe a transfer item.');
    if (this.stopping) return this.backToQueue(job, token);
    const controller = new AbortController();
    this.running.set(job.data.itemId, { transferId: job.data.transferId, controller });
    try {
      return await this.runner.run(job, controller);
    } catch (error) {
      if (error instanceof WorkerShuttingDown) return this.backToQueue(job, token);
      throw error;
    } finally {
      this.running.delete(job.data.itemId);
    }
  }

  /** Back to the queue without spending an attempt: another worker resumes from the checkpoint. */
  private async backToQueue(job: Job<TransferJobData>, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }

  private onCancel(raw: string): void {
    const message = parseCancelMessage(raw);
    if (!message) return;
    for (const [itemId, item] of this.running) {
      if (item.transferId !== message.transferId) continue;
      if (message.itemIds && !message.itemIds.includes(itemId)) continue;
      item.controller.abort(new TransferCancelled());
    }
  }
}
