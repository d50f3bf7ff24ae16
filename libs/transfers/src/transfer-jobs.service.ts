import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { FerryConfig } from '@ferry/config';
import { TRANSFER_BACKOFF, TRANSFER_ITEM_JOB, TRANSFERS_QUEUE, type TransferJobData } from './transfers.queue';

interface Owner {
  id: string;
  platformId: string;
  requestedBy: string;
}

/** The api's side of the "transfers" queue: one job per item, job id = item id. */
@Injectable()
export class TransferJobs implements OnModuleInit, OnModuleDestroy {
  private ready: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectQueue(TRANSFERS_QUEUE) private readonly queue: Queue<TransferJobData>,
    private readonly config: FerryConfig,
  ) {}

  onModuleInit(): void {
    this.ready = this.queue.waitUntilReady().catch(() => undefined);
  }

  /** A queue closed while it is still connecting rejects where nobody listens: let it connect first (briefly). */
  async onModuleDestroy(): Promise<void> {
    await Promise.race([this.ready, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  /** Adding a job whose id is already waiting, delayed or active does nothing: enqueueing twice is harmless. */
  async enqueue(transfer: Owner, itemIds: string[]): Promise<void> {
    const { attempts } = this.config.transfers;
    await this.queue.addBulk(
      itemIds.map((itemId) => ({
        name: TRANSFER_ITEM_JOB,
        data: { transferId: transfer.id, itemId, platformId: transfer.platformId, userId: transfer.requestedBy },
        opts: {
          jobId: itemId,
          attempts,
          backoff: { type: TRANSFER_BACKOFF },
          // The database keeps the record; finished jobs only free their ids for a later retry.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  /** Enqueues items again, dropping finished jobs that would otherwise hold their ids. */
  async requeue(transfer: Owner, itemIds: string[]): Promise<void> {
    for (const itemId of itemIds) {
      const job = await this.queue.getJob(itemId);
      if (job && ((await job.isFailed()) || (await job.isCompleted()))) await job.remove();
    }
    await this.enqueue(transfer, itemIds);
  }

  /** Drops jobs that have not started; a running job is left to the cancel signal. */
  async discardWaiting(itemIds: string[]): Promise<void> {
    for (const itemId of itemIds) await this.queue.remove(itemId);
  }
}
