import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { BlobStorage } from '@ferry/azure-storage';
import { Repository } from 'typeorm';
import { TransferJournal } from './transfer-journal.service';
import { TransferItem } from './transfer-item.entity';
import { buildReceipt, manifestBlobName } from './transfer-receipt';
import { finalTransferStatus, isFinalTransferStatus, type TransferItemStatus, type TransferStatus } from './transfer-status';
import { Transfer } from './transfer.entity';

/** Moves a batch to its final status once every item is final, and writes the manifest blob then. */
@Injectable()
export class TransferSettlement {
  private readonly logger = new Logger(TransferSettlement.name);

  constructor(
    @InjectRepository(Transfer) private readonly transfers: Repository<Transfer>,
    @InjectRepository(TransferItem) private readonly items: Repository<TransferItem>,
    private readonly journal: TransferJournal,
    private readonly storage: BlobStorage,
  ) {}

  async countByStatus(transferId: string): Promise<Partial<Record<TransferItemStatus, number>>> {
    const rows: Array<{ status: TransferItemStatus; count: number }> = await this.items.query(
      `SELECT status, count(*)::int AS count FROM transfer_items WHERE transfer_id = $1 GROUP BY status`,
      [transferId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }

  /**
   * Whether any item of the batch is still queued or running: the question every finished item
   * asks, so it must not cost a pass over a batch of thousands. Items start in position order, so
   * the batch's last item is open until nearly the end: one index entry answers for almost every
   * finisher, and only the last few look further (CASE runs the second subquery only if needed).
   */
  private async hasOpenItems(transferId: string): Promise<boolean> {
    const [row]: Array<{ open: boolean }> = await this.items.query(
      `SELECT CASE
                WHEN (SELECT status FROM transfer_items WHERE transfer_id = $1 ORDER BY position DESC LIMIT 1) IN ('queued', 'running') THEN true
                ELSE EXISTS (SELECT 1 FROM transfer_items WHERE transfer_id = $1 AND status IN ('queued', 'running'))
              END AS open`,
      [transferId],
    );
    return row.open;
  }

  /**
   * Call after an item became final. Every item's outcome is committed before its worker counts,
   * so of two items finishing together at least one count sees both. The manifest is written
   * before the batch turns final, so whoever sees the final status finds the manifest too; two
   * settlers racing write the same manifest, and the conditional update lets one record the end.
   */
  async settle(transferId: string): Promise<TransferStatus | null> {
    if (await this.hasOpenItems(transferId)) return null;
    const counts = await this.countByStatus(transferId);
    const status = finalTransferStatus(counts);
    if (!status) return null;
    const transfer = await this.transfers.findOneByOrFail({ id: transferId });
    if (isFinalTransferStatus(transfer.status)) return null;
    const finishedAt = new Date();
    const manifest = await this.writeManifest({ ...transfer, status, finishedAt });
    const updated: Transfer[] = await this.transfers
      .createQueryBuilder()
      .update(Transfer)
      .set({ status, finishedAt, ...(manifest.blobName ? { manifestBlobName: manifest.blobName } : {}) })
      .where('id = :transferId', { transferId })
      .andWhere(`status NOT IN ('succeeded', 'failed', 'cancelled')`)
      .returning('*')
      .execute()
      .then((result) => result.raw);
    if (updated.length === 0) return null;
    await this.journal.recordAll([
      { transferId, type: 'finished', data: { status, counts } },
      manifest.blobName
        ? { transferId, type: 'manifest_written', data: { blobName: manifest.blobName, etag: manifest.etag } }
        : { transferId, type: 'manifest_failed', data: { blobName: manifestBlobName(transfer), message: manifest.error } },
    ]);
    return status;
  }

  /** The receipt as JSON next to the files. A storage failure is recorded, never undoes the outcome. */
  private async writeManifest(transfer: Transfer): Promise<{ blobName: string | null; etag: string | null; error: string | null }> {
    const items = await this.items.find({ where: { transferId: transfer.id }, order: { position: 'ASC' } });
    const name = manifestBlobName(transfer);
    const body = JSON.stringify(buildReceipt(transfer, items, (container, blobName) => this.storage.blobUrl(container, blobName)), null, 2);
    try {
      const response = await this.storage.blockBlobClient(transfer.container, name).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      });
      return { blobName: name, etag: response.etag ?? null, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`The manifest of transfer ${transfer.id} could not be written: ${message}`);
      return { blobName: null, etag: null, error: message };
    }
  }
}
