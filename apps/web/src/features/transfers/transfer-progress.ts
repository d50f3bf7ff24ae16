import type { TransferDetail, TransferItem, TransferSnapshot, TransferSummary } from './types';

/**
 * The detail after one snapshot of the event stream: the new summary, and the changed items in
 * place of the old ones. Unchanged items keep their identity, so their rows need not draw again.
 */
export function mergeSnapshot(current: TransferDetail | undefined, { transfer, items }: TransferSnapshot): TransferDetail {
  if (!current) return { ...transfer, items };
  if (items.length === 0) return { ...current, ...transfer };
  const changed = new Map(items.map((item) => [item.id, item]));
  const merged = current.items.map((item) => {
    const update = changed.get(item.id);
    if (!update) return item;
    changed.delete(item.id);
    return update;
  });
  return { ...current, ...transfer, items: changed.size > 0 ? [...merged, ...changed.values()] : merged };
}

/** Failed files first, where the admin has something to do; otherwise the batch's own order. */
export function failedFirst(items: readonly TransferItem[]): TransferItem[] {
  const failed: TransferItem[] = [];
  const others: TransferItem[] = [];
  for (const item of items) (item.status === 'failed' ? failed : others).push(item);
  return failed.length === 0 ? [...items] : [...failed, ...others];
}

/** How much of one file is done, 0 to 1; a skipped or succeeded file is whole. */
export function itemFraction(item: TransferItem): number {
  if (item.status === 'succeeded' || item.status === 'skipped') return 1;
  if (item.size <= 0) return 0;
  return Math.min(1, item.bytesDone / item.size);
}

/** How much of the batch is done, 0 to 1: by bytes, or by finished files when it has no bytes. */
export function batchFraction(summary: TransferSummary): number {
  const { totals, progress } = summary;
  if (totals.bytes > 0) return Math.min(1, progress.bytesDone / totals.bytes);
  return totals.files === 0 ? 1 : finishedFiles(summary) / totals.files;
}

/** Files that reached a final state. */
export function finishedFiles({ progress: { counts } }: TransferSummary): number {
  return counts.succeeded + counts.failed + counts.cancelled + counts.skipped;
}
