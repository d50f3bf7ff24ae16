export const CONFLICT_POLICIES = ['skip_identical', 'overwrite', 'rename', 'fail'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

export const TRANSFER_ITEM_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;
export type TransferItemStatus = (typeof TRANSFER_ITEM_STATUSES)[number];

/** A batch is `running` from its first started item until every item is final. */
export type TransferStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const FINAL_ITEM_STATUSES: readonly TransferItemStatus[] = ['succeeded', 'failed', 'cancelled', 'skipped'];
export const FINAL_TRANSFER_STATUSES: readonly TransferStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isFinalTransferStatus(status: TransferStatus): boolean {
  return FINAL_TRANSFER_STATUSES.includes(status);
}

/**
 * A finished batch's outcome from its items' counts: any failure makes it `failed` (the admin has
 * something to retry), otherwise a cancelled item makes it `cancelled`; skipped files count as done.
 */
export function finalTransferStatus(counts: Partial<Record<TransferItemStatus, number>>): TransferStatus | null {
  const open = (counts.queued ?? 0) + (counts.running ?? 0);
  if (open > 0) return null;
  if ((counts.failed ?? 0) > 0) return 'failed';
  if ((counts.cancelled ?? 0) > 0) return 'cancelled';
  return 'succeeded';
}
