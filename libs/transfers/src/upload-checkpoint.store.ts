import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { UploadCheckpoint, UploadCheckpointStore } from '@ferry/azure-storage';
import { Repository } from 'typeorm';
import { TransferItem } from './transfer-item.entity';

/**
 * The uploader's checkpoints, kept on the item's row (upload id = item id), so a worker started
 * after a crash continues where the dead one left off.
 */
@Injectable()
export class UploadCheckpointRepository implements UploadCheckpointStore {
  constructor(@InjectRepository(TransferItem) private readonly items: Repository<TransferItem>) {}

  async load(itemId: string): Promise<UploadCheckpoint | null> {
    const row = await this.items.findOne({ where: { id: itemId }, select: { id: true, checkpoint: true } });
    return row?.checkpoint ?? null;
  }

  async save(itemId: string, checkpoint: UploadCheckpoint): Promise<void> {
    await this.items.update({ id: itemId }, { checkpoint });
  }

  async clear(itemId: string): Promise<void> {
    await this.items.update({ id: itemId }, { checkpoint: null });
  }
}
