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

  /**
   * The store for one attempt at one item, saving the round trips that buy nothing: the row was
   * just read (so its checkpoint is known), a checkpoint covering the whole file is about to be
   * followed by the commit (a crash in between restages at most the blocks in flight, and a commit
   * that happened is recognised by its block ids), and a checkpoint never written needs no clearing.
   * For a file of one block that is three queries fewer; a large file still saves after every block.
   */
  forAttempt(item: Pick<TransferItem, 'id' | 'size' | 'checkpoint'>): UploadCheckpointStore {
    let stored = item.checkpoint;
    return {
      load: async (itemId) => (itemId === item.id ? stored : this.load(itemId)),
      save: async (itemId, checkpoint) => {
        if (itemId === item.id && checkpoint.bytes >= item.size) return;
        await this.save(itemId, checkpoint);
        if (itemId === item.id) stored = checkpoint;
      },
      clear: async (itemId) => {
        if (itemId === item.id && stored === null) return;
        await this.clear(itemId);
        if (itemId === item.id) stored = null;
      },
    };
  }
}
