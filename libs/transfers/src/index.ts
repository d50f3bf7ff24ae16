export { TransferEvent } from './transfer-event.entity';
export type { TransferEventType } from './transfer-event.entity';
export { TransferItem } from './transfer-item.entity';
export { Transfer } from './transfer.entity';
export { CONFLICT_POLICIES, TRANSFER_ITEM_STATUSES, finalTransferStatus, isFinalTransferStatus } from './transfer-status';
export type { ConflictPolicy, TransferItemStatus, TransferStatus } from './transfer-status';
