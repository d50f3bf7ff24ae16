import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TransferItem } from './transfer-item.entity';
import { Transfer } from './transfer.entity';

export type TransferEventType =
  | 'requested'
  | 'attempt_started'
  | 'resumed'
  | 'token_refreshed'
  | 'renamed'
  | 'retry_scheduled'
  | 'paused_for_shutdown'
  | 'succeeded'
  | 'skipped'
  | 'failed'
  | 'cancel_requested'
  | 'cancelled'
  | 'retry_requested'
  | 'manifest_written'
  | 'manifest_failed'
  | 'finished';

/** Append-only audit of a batch: what happened to it and to each item, never updated. */
@Entity('transfer_events')
@Index('ix_transfer_events_transfer', ['transferId', 'id'])
export class TransferEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'pk_transfer_events' })
  id: string;

  @ForeignKey(() => Transfer, { name: 'fk_transfer_events_transfer', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'transfer_id' })
  transferId: string;

  /** Null for an event of the whole batch. */
  @ForeignKey(() => TransferItem, { name: 'fk_transfer_events_item', onDelete: 'CASCADE' })
  @Column('uuid', { name: 'item_id', nullable: true })
  itemId: string | null;

  @Column('text')
  type: TransferEventType;

  @Column('jsonb', { nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at: Date;
}
