import type {
  TransferDetail,
  TransferItem,
  TransferItemStatus,
  TransferSnapshot,
  TransferSummary,
} from '@/features/transfers/types';
import { transfer101 } from './moodle-fixtures';

export const transferId = '5f0c3a9e-7d1b-4c2a-9e1f-2b3c4d5e6f70';

/** One file of a batch, queued unless a test says otherwise. */
export function transferItem(overrides: Partial<TransferItem> & Pick<TransferItem, 'name'>): TransferItem {
  return {
    id: `item-${overrides.name}`,
    fileId: `id-${overrides.name}`,
    section: 'General',
    module: { id: 100, name: 'Readings', modname: 'resource' },
    path: '/',
    mimetype: 'application/pdf',
    blobName: `TR101/General/Readings/${overrides.name}`,
    status: 'queued',
    size: 1024,
    bytesDone: 0,
    sha256: null,
    md5: null,
    etag: null,
    attempts: 0,
    error: null,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

const noCounts = (): Record<TransferItemStatus, number> => ({ queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, skipped: 0 });

/** A batch of `items`, its counts and bytes added up from them; the rest as a test says. */
export function transferDetail(items: TransferItem[], overrides: Partial<TransferSummary> = {}): TransferDetail {
  const counts = noCounts();
  let bytesDone = 0;
  for (const item of items) {
    counts[item.status] += 1;
    bytesDone += item.status === 'succeeded' || item.status === 'skipped' ? item.size : item.bytesDone;
  }
  const open = counts.queued + counts.running > 0;
  const started = items.some((item) => item.status !== 'queued');
  const finalStatus = counts.failed ? 'failed' : counts.cancelled ? 'cancelled' : 'succeeded';
  const status = open ? (started ? 'running' : 'queued') : finalStatus;
  return {
    id: transferId,
    status,
    course: transfer101,
    container: 'ferry',
    prefix: '',
    conflict: 'skip_identical',
    requestedBy: 'u-admin',
    totals: { files: items.length, bytes: items.reduce((sum, item) => sum + item.size, 0) },
    progress: { bytesDone, counts, throughput: status === 'queued' ? null : 512 * 1024, etaSeconds: open && status !== 'queued' ? 200 : null },
    manifestBlobName: null,
    createdAt: '2025-03-01T10:00:00.000Z',
    startedAt: status === 'queued' ? null : '2025-03-01T10:00:05.000Z',
    finishedAt: open ? null : '2025-03-01T10:02:00.000Z',
    ...overrides,
    items,
  };
}

export function summaryOf({ items: _items, ...summary }: TransferDetail): TransferSummary {
  return summary;
}

/** What the event stream sends after `detail`'s state: its summary and the `changed` items. */
export function snapshotOf(detail: TransferDetail, changed: TransferItem[] = detail.items): TransferSnapshot {
  return { transfer: summaryOf(detail), items: changed };
}
