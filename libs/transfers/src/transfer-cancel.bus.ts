import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InjectRedis } from '@ferry/redis';
import { TRANSFER_CANCEL_CHANNEL, type TransferCancelMessage } from './transfers.queue';

/** The api's half of cancelling: tells every worker (Redis pub/sub) to abort these items now. */
@Injectable()
export class TransferCancelPublisher {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async publish(message: TransferCancelMessage): Promise<void> {
    await this.redis.publish(TRANSFER_CANCEL_CHANNEL, JSON.stringify(message));
  }
}

export function parseCancelMessage(raw: string): TransferCancelMessage | null {
  try {
    const value = JSON.parse(raw) as Partial<TransferCancelMessage>;
    if (typeof value.transferId !== 'string') return null;
    if (value.itemIds !== null && !(Array.isArray(value.itemIds) && value.itemIds.every((id) => typeof id === 'string'))) return null;
    return { transferId: value.transferId, itemIds: value.itemIds };
  } catch {
    return null;
  }
}
