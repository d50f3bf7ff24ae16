import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransferItem } from './transfer-item.entity';

/** An item's final state, set only while it is still running. */
export interface FinalItemState {
  status: 'succeeded' | 'skipped';
  blobName: string;
  sha256: string | null;
  md5: string | null;
  etag: string | null;
  bytesDone: number;
}

/**
 * The worker's writes of an item's state together with the event that records them, one statement
 * (one round trip, one commit) each, so a batch of many small files costs the database little and
 * no state change is ever without its event.
 */
@Injectable()
export class TransferItemRepository {
  constructor(@InjectRepository(TransferItem) private readonly items: Repository<TransferItem>) {}

  /**
   * Queued → running, one attempt more (a stalled job's item is still `running`: that is the resume
   * case), with its `attempt_started` event. Null when the item is cancelled or final, or not of
   * this batch: then nothing is written.
   */
  async claim(transferId: string, itemId: string, attempt: { attempt: number; maxAttempts: number; worker: string }): Promise<TransferItem | null> {
    const rows: Array<Record<string, unknown>> = await this.items.query(
      `WITH claimed AS (
         UPDATE transfer_items
            SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()), updated_at = now()
          WHERE id = $1 AND transfer_id = $2 AND status IN ('queued', 'running')
          RETURNING *
       ), started AS (
         INSERT INTO transfer_events (transfer_id, item_id, type, data)
         SELECT transfer_id, id, 'attempt_started',
                jsonb_build_object('attempt', $3::int, 'maxAttempts', $4::int, 'worker', $5::text, 'blobName', blob_name)
           FROM claimed
       )
       SELECT * FROM claimed`,
      [itemId, transferId, attempt.attempt, attempt.maxAttempts, attempt.worker],
    );
    return rows.length > 0 ? this.hydrate(rows[0]) : null;
  }

  /**
   * Sets `outcome` on an item that is still running and records it as an event with `data`. An
   * item no longer running was cancelled meanwhile: it keeps its status, and the event says
   * `cancelled` (with the same data: whatever reached Azure stays on record). Returns what was recorded.
   */
  async recordOutcome(
    item: Pick<TransferItem, 'id' | 'transferId'>,
    outcome: FinalItemState,
    data: Record<string, unknown>,
  ): Promise<FinalItemState['status'] | 'cancelled'> {
    const [row]: Array<{ type: FinalItemState['status'] | 'cancelled' }> = await this.items.query(
      `WITH finished AS (
         UPDATE transfer_items
            SET status = $3::text, blob_name = $4, sha256 = $5, md5 = $6, etag = $7, bytes_done = $8,
                error_code = NULL, error_message = NULL, checkpoint = NULL, finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'running'
          RETURNING id
       )
       INSERT INTO transfer_events (transfer_id, item_id, type, data)
       SELECT $2, $1, CASE WHEN EXISTS (SELECT 1 FROM finished) THEN $3 ELSE 'cancelled' END, $9::jsonb
       RETURNING type`,
      [item.id, item.transferId, outcome.status, outcome.blobName, outcome.sha256, outcome.md5, outcome.etag, outcome.bytesDone, JSON.stringify(data)],
    );
    return row.type;
  }

  /** A RETURNING row as the entity, through the columns' own transformers (bigint → number). */
  private hydrate(row: Record<string, unknown>): TransferItem {
    const item = this.items.create();
    const { driver } = this.items.manager.connection;
    for (const column of this.items.metadata.columns) column.setEntityValue(item, driver.prepareHydratedValue(row[column.databaseName], column));
    return item;
  }
}
