import type { TransferItem } from '../transfer-item.entity';
import type { TransferItemStatus, TransferStatus } from '../transfer-status';
import type { ConflictPolicy } from '../transfer-status';
import type { Transfer } from '../transfer.entity';

export interface TransferProgress {
  /** Bytes of finished files (succeeded or skipped) plus bytes so far of the others. */
  bytesDone: number;
  counts: Record<TransferItemStatus, number>;
  /** Bytes per second since the batch started; null before it started. */
  throughput: number | null;
  /** Seconds left at that rate; null when unknown or final. */
  etaSeconds: number | null;
}

export interface TransferSummaryResponse {
  id: string;
  status: TransferStatus;
  course: { id: number; shortname: string; fullname: string };
  container: string;
  prefix: string;
  conflict: ConflictPolicy;
  requestedBy: string;
  totals: { files: number; bytes: number };
  progress: TransferProgress;
  manifestBlobName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TransferItemResponse {
  id: string;
  fileId: string;
  section: string;
  module: { id: number; name: string; modname: string };
  path: string;
  name: string;
  mimetype: string | null;
  blobName: string;
  status: TransferItemStatus;
  size: number;
  bytesDone: number;
  sha256: string | null;
  md5: string | null;
  etag: string | null;
  attempts: number;
  error: { code: string; message: string } | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TransferDetailResponse extends TransferSummaryResponse {
  items: TransferItemResponse[];
}

export interface ItemAggregate {
  counts: Partial<Record<TransferItemStatus, number>>;
  /** Finished files count whole, skipped ones included. */
  bytesDone: number;
  /** Bytes actually streamed (skipped files excluded): what throughput is made of. */
  bytesMoved: number;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toTransferItemResponse(item: TransferItem): TransferItemResponse {
  return {
    id: item.id,
    fileId: item.fileId,
    section: item.section,
    module: { id: item.moduleId, name: item.moduleName, modname: item.moduleModname },
    path: item.filepath,
    name: item.filename,
    mimetype: item.mimetype,
    blobName: item.blobName,
    status: item.status,
    size: item.size,
    bytesDone: item.status === 'succeeded' ? item.size : item.bytesDone,
    sha256: item.sha256,
    md5: item.md5,
    etag: item.etag,
    attempts: item.attempts,
    error: item.errorCode ? { code: item.errorCode, message: item.errorMessage ?? '' } : null,
    startedAt: iso(item.startedAt),
    finishedAt: iso(item.finishedAt),
  };
}

export function toTransferSummaryResponse(transfer: Transfer, aggregate: ItemAggregate, now = new Date()): TransferSummaryResponse {
  const counts: Record<TransferItemStatus, number> = {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    skipped: 0,
    ...aggregate.counts,
  };
  const end = transfer.finishedAt ?? now;
  const seconds = transfer.startedAt ? Math.max(0.001, (end.getTime() - transfer.startedAt.getTime()) / 1000) : null;
  const throughput = seconds === null ? null : Math.round(aggregate.bytesMoved / seconds);
  const remaining = Math.max(0, transfer.totalBytes - aggregate.bytesDone);
  const open = counts.queued + counts.running > 0;
  return {
    id: transfer.id,
    status: transfer.status,
    course: { id: transfer.courseId, shortname: transfer.courseShortname, fullname: transfer.courseFullname },
    container: transfer.container,
    prefix: transfer.prefix,
    conflict: transfer.conflictPolicy,
    requestedBy: transfer.requestedBy,
    totals: { files: transfer.totalFiles, bytes: transfer.totalBytes },
    progress: {
      bytesDone: aggregate.bytesDone,
      counts,
      throughput,
      etaSeconds: open && throughput ? Math.ceil(remaining / throughput) : null,
    },
    manifestBlobName: transfer.manifestBlobName,
    createdAt: transfer.createdAt.toISOString(),
    startedAt: iso(transfer.startedAt),
    finishedAt: iso(transfer.finishedAt),
  };
}
