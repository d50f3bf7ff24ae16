import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { BlobStorage } from '@ferry/azure-storage';
import { Repository } from 'typeorm';
import { TransferJournal } from './transfer-journal.service';
import { TransferItem } from './transfer-item.entity';
import { buildReceipt, manifestBlobName } from './transfer-receipt';
import { finalTransferStatus, type TransferItemStatus, type TransferStatus } from './transfer-status';
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
   * Call after an item became final. Every item's outcome is committed before its worker counts,
   * so of two items finishing together at least one count sees both; the conditional update lets
   * exactly one caller make the transition (and write the manifest).
   */
  async settle(transferId: string): Promise<TransferStatus | null> {
    const counts = await this.countByStatus(transferId);
    const status = finalTransferStatus(counts);
    if (!status) return null;
    const updated: Transfer[] = await this.transfers
      .createQueryBuilder()
      .update(Transfer)
      .set({ status, finishedAt: () => 'now()' })
      .where('id = :transferId', { transferId })
      .andWhere(`status NOT IN ('succeeded', 'failed', 'cancelled')`)
      .returning('*')
      .execute()
      .then((result) => result.raw);
    if (updated.length === 0) return null;
    await this.journal.record({ transferId, type: 'finished', data: { status, counts } });
    await this.writeManifest(transferId);
    return status;
  }

  /** The receipt as JSON next to the files. A storage failure is recorded, never undoes the outcome. */
  async writeManifest(transferId: string): Promise<void> {
    const transfer = await this.transfers.findOneByOrFail({ id: transferId });
    const items = await this.items.find({ where: { transferId }, order: { position: 'ASC' } });
    const name = manifestBlobName(transfer);
    const body = JSON.stringify(buildReceipt(transfer, items, (container, blobName) => this.storage.blobUrl(container, blobName)), null, 2);
    try {
      const response = await this.storage.blockBlobClient(transfer.container, name).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      });
      await this.transfers.update({ id: transferId }, { manifestBlobName: name });
      await this.journal.record({ transferId, type: 'manifest_written', data: { blobName: name, etag: response.etag ?? null } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`The manifest of transfer ${transferId} could not be written: ${message}`);
      await this.journal.record({ transferId, type: 'manifest_failed', data: { blobName: name, message } });
    }
  }
}
