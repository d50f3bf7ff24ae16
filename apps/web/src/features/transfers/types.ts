/** Shapes of the transfers API (CONTRACT.md and the transfers lib's response DTOs). */

export type ConflictPolicy = 'skip_identical' | 'overwrite' | 'rename' | 'fail';
export const conflictPolicies: readonly ConflictPolicy[] = ['skip_identical', 'overwrite', 'rename', 'fail'];

export type TransferItemStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';
export const transferItemStatuses: readonly TransferItemStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped'];

/** A batch is `running` from its first started item until every item is final. */
export type TransferStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export function isFinalTransferStatus(status: TransferStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export interface TransferProgress {
  /** Bytes of finished files (succeeded or skipped) plus bytes so far of the others. */
  bytesDone: number;
  counts: Record<TransferItemStatus, number>;
  /** Bytes per second since the batch started; null before it started. */
  throughput: number | null;
  /** Seconds left at that rate; null when unknown or final. */
  etaSeconds: number | null;
}

/** `GET /api/transfers`: one batch, without its items. */
export interface TransferSummary {
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

export interface TransferItem {
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

/** `GET /api/transfers/:id`, and the answer to cancelling or retrying. */
export interface TransferDetail extends TransferSummary {
  items: TransferItem[];
}

/** `POST /api/transfers`; a blank container or prefix is left out, so Ferry's defaults apply. */
export interface CreateTransferRequest {
  courseId: number;
  fileIds: string[];
  container?: string;
  prefix?: string;
  conflict?: ConflictPolicy;
}

/** The 201 answer: the new batch and its items. */
export interface CreatedTransfer {
  id: string;
  status: TransferStatus;
  items: Array<Pick<TransferItem, 'id' | 'fileId' | 'blobName' | 'status'>>;
}

/** An `event: snapshot` of `GET /api/transfers/:id/events`: the summary, and the items changed since the last one. */
export interface TransferSnapshot {
  transfer: TransferSummary;
  items: TransferItem[];
}

export type ReceiptFormat = 'csv' | 'json';
