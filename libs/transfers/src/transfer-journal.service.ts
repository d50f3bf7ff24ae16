import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TransferEvent, type TransferEventType } from './transfer-event.entity';

export interface JournalEntry {
  transferId: string;
  itemId?: string | null;
  type: TransferEventType;
  data?: Record<string, unknown> | null;
}

/** Writes the append-only `transfer_events`: every attempt, retry, refresh and outcome. */
@Injectable()
export class TransferJournal {
  constructor(@InjectRepository(TransferEvent) private readonly events: Repository<TransferEvent>) {}

  async record(entry: JournalEntry): Promise<void> {
    await this.recordAll([entry]);
  }

  async recordAll(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.events.insert(
      entries.map(
        (entry) =>
          ({ transferId: entry.transferId, itemId: entry.itemId ?? null, type: entry.type, data: entry.data ?? null }) as QueryDeepPartialEntity<TransferEvent>,
      ),
    );
  }

  list(transferId: string, itemId?: string): Promise<TransferEvent[]> {
    return this.events.find({ where: itemId ? { transferId, itemId } : { transferId }, order: { id: 'ASC' } });
  }
}
