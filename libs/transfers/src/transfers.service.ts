import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { BlobStorage } from '@ferry/azure-storage';
import { ErrorCode, FerryError } from '@ferry/errors';
import { MoreThanOrEqual, Repository } from 'typeorm';
import {
  toTransferItemResponse,
  toTransferSummaryResponse,
  type ItemAggregate,
  type TransferDetailResponse,
  type TransferItemResponse,
  type TransferSummaryResponse,
} from './dto/transfer.dto';
import { TransferCancelPublisher } from './transfer-cancel.bus';
import { TransferJobs } from './transfer-jobs.service';
import { TransferJournal } from './transfer-journal.service';
import { TransferItem } from './transfer-item.entity';
import { buildReceipt, type TransferReceipt } from './transfer-receipt';
import { TransferSettlement } from './transfer-settlement.service';
import type { TransferItemStatus } from './transfer-status';
import { Transfer } from './transfer.entity';

/** Who asks: a platform's admin sees only that platform's transfers. */
export interface TransferViewer {
  platformId: string;
  userId: string;
}

const LIST_LIMIT = 200;

/** Reading, cancelling and retrying transfers; creating them is `TransferRequests`. */
@Injectable()
export class TransfersService {
  constructor(
    @InjectRepository(Transfer) private readonly transfers: Repository<Transfer>,
    @InjectRepository(TransferItem) private readonly items: Repository<TransferItem>,
    private readonly journal: TransferJournal,
    private readonly settlement: TransferSettlement,
    private readonly jobs: TransferJobs,
    private readonly cancels: TransferCancelPublisher,
    private readonly storage: BlobStorage,
  ) {}

  async list(viewer: TransferViewer, courseId?: number): Promise<TransferSummaryResponse[]> {
    const transfers = await this.transfers.find({
      where: courseId === undefined ? { platformId: viewer.platformId } : { platformId: viewer.platformId, courseId },
      order: { createdAt: 'DESC' },
      take: LIST_LIMIT,
    });
    const aggregates = await this.aggregates(transfers.map((transfer) => transfer.id));
    return transfers.map((transfer) => toTransferSummaryResponse(transfer, aggregates.get(transfer.id) ?? emptyAggregate()));
  }

  async get(viewer: TransferViewer, transferId: string): Promise<TransferDetailResponse> {
    const transfer = await this.find(viewer, transferId);
    const [aggregates, items] = await Promise.all([
      this.aggregates([transfer.id]),
      this.items.find({ where: { transferId: transfer.id }, order: { position: 'ASC' } }),
    ]);
    return { ...toTransferSummaryResponse(transfer, aggregates.get(transfer.id) ?? emptyAggregate()), items: items.map(toTransferItemResponse) };
  }

  /** The batch's summary and the items changed since `since` (all when null): what the event stream sends. */
  async snapshot(
    viewer: TransferViewer,
    transferId: string,
    since: Date | null,
  ): Promise<{ transfer: TransferSummaryResponse; items: TransferItemResponse[]; readAt: Date }> {
    const readAt = new Date();
    const transfer = await this.find(viewer, transferId);
    const [aggregates, items] = await Promise.all([
      this.aggregates([transfer.id]),
      this.items.find({
        where: since ? { transferId: transfer.id, updatedAt: MoreThanOrEqual(since) } : { transferId: transfer.id },
        order: { position: 'ASC' },
      }),
    ]);
    return {
      transfer: toTransferSummaryResponse(transfer, aggregates.get(transfer.id) ?? emptyAggregate(), readAt),
      items: items.map(toTransferItemResponse),
      readAt,
    };
  }

  async receipt(viewer: TransferViewer, transferId: string): Promise<TransferReceipt> {
    const transfer = await this.find(viewer, transferId);
    const items = await this.items.find({ where: { transferId }, order: { position: 'ASC' } });
    return buildReceipt(transfer, items, (container, blobName) => this.storage.blobUrl(container, blobName));
  }

  /**
   * Queued items are cancelled at once; running ones are marked now and their workers abort
   * download and staging on the broadcast (nothing gets committed). Final items stay as they are.
   */
  async cancel(viewer: TransferViewer, transferId: string, itemId?: string): Promise<TransferDetailResponse> {
    const transfer = await this.find(viewer, transferId);
    if (itemId) await this.findItem(transfer.id, itemId);
    const cancelled: Array<{ id: string }> = await this.items
      .createQueryBuilder()
      .update(TransferItem)
      .set({ status: 'cancelled', finishedAt: () => 'now()' })
      .where('transfer_id = :transferId', { transferId: transfer.id })
      .andWhere(itemId ? 'id = :itemId' : 'TRUE', { itemId })
      .andWhere(`status IN ('queued', 'running')`)
      .returning(['id'])
      .execute()
      .then((result) => result.raw);
    if (cancelled.length === 0) {
      throw new FerryError(
        ErrorCode.TransferNotCancellable,
        itemId ? 'This file has already finished; there is nothing to cancel.' : 'Every file of this transfer has already finished; there is nothing to cancel.',
        { transferId: transfer.id, itemId: itemId ?? null },
      );
    }
    const itemIds = cancelled.map((row) => row.id);
    await this.cancels.publish({ transferId: transfer.id, itemIds: itemId ? itemIds : null });
    await this.journal.recordAll([
      { transferId: transfer.id, type: 'cancel_requested', data: { by: viewer.userId, itemIds } },
      ...itemIds.map((id) => ({ transferId: transfer.id, itemId: id, type: 'cancelled' as const, data: { by: viewer.userId } })),
    ]);
    await this.jobs.discardWaiting(itemIds);
    await this.settlement.settle(transfer.id);
    return this.get(viewer, transfer.id);
  }

  /** Puts failed (and cancelled) items back in the queue; succeeded and skipped ones are left alone. */
  async retry(viewer: TransferViewer, transferId: string, itemId?: string): Promise<TransferDetailResponse> {
    const transfer = await this.find(viewer, transferId);
    if (itemId) await this.findItem(transfer.id, itemId);
    const retried: Array<{ id: string }> = await this.items
      .createQueryBuilder()
      .update(TransferItem)
      .set({ status: 'queued', errorCode: null, errorMessage: null, finishedAt: null })
      .where('transfer_id = :transferId', { transferId: transfer.id })
      .andWhere(itemId ? 'id = :itemId' : 'TRUE', { itemId })
      .andWhere(`status IN ('failed', 'cancelled')`)
      .returning(['id'])
      .execute()
      .then((result) => result.raw);
    if (retried.length > 0) {
      const itemIds = retried.map((row) => row.id);
      await this.transfers.update({ id: transfer.id }, { status: transfer.startedAt ? 'running' : 'queued', finishedAt: null });
      await this.journal.record({ transferId: transfer.id, type: 'retry_requested', data: { by: viewer.userId, itemIds } });
      await this.jobs.requeue(transfer, itemIds);
    }
    return this.get(viewer, transfer.id);
  }

  private async find(viewer: TransferViewer, transferId: string): Promise<Transfer> {
    const transfer = isUuid(transferId) ? await this.transfers.findOneBy({ id: transferId, platformId: viewer.platformId }) : null;
    if (!transfer) throw new FerryError(ErrorCode.TransferNotFound, 'There is no such transfer on this platform.', { transferId });
    return transfer;
  }

  private async findItem(transferId: string, itemId: string): Promise<TransferItem> {
    const item = isUuid(itemId) ? await this.items.findOneBy({ id: itemId, transferId }) : null;
    if (!item) throw new FerryError(ErrorCode.TransferNotFound, 'This transfer has no such file.', { transferId, itemId });
    return item;
  }

  private async aggregates(transferIds: string[]): Promise<Map<string, ItemAggregate>> {
    const result = new Map<string, ItemAggregate>();
    if (transferIds.length === 0) return result;
    const rows: Array<{ transfer_id: string; status: TransferItemStatus; count: number; done: string; moved: string }> = await this.items.query(
      `SELECT transfer_id, status, count(*)::int AS count,
              sum(CASE WHEN status IN ('succeeded', 'skipped') THEN size ELSE bytes_done END) AS done,
              sum(CASE WHEN status = 'succeeded' THEN size WHEN status = 'skipped' THEN 0 ELSE bytes_done END) AS moved
         FROM transfer_items WHERE transfer_id = ANY($1) GROUP BY transfer_id, status`,
      [transferIds],
    );
    for (const row of rows) {
      const aggregate = result.get(row.transfer_id) ?? emptyAggregate();
      aggregate.counts[row.status] = row.count;
      aggregate.bytesDone += Number(row.done);
      aggregate.bytesMoved += Number(row.moved);
      result.set(row.transfer_id, aggregate);
    }
    return result;
  }
}

function emptyAggregate(): ItemAggregate {
  return { counts: {}, bytesDone: 0, bytesMoved: 0 };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

