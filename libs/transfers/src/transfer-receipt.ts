import { blobNameFor } from '@ferry/azure-storage';
import type { TransferItem } from './transfer-item.entity';
import type { Transfer } from './transfer.entity';

export interface ReceiptItem {
  itemId: string;
  fileId: string;
  section: string;
  module: string;
  path: string;
  filename: string;
  mimetype: string | null;
  size: number;
  moodleTimemodified: string;
  sourceUrl: string;
  container: string;
  blobName: string;
  blobUrl: string;
  outcome: TransferItem['status'];
  bytesDone: number;
  sha256: string | null;
  md5: string | null;
  etag: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface TransferReceipt {
  transferId: string;
  status: Transfer['status'];
  course: { id: number; shortname: string; fullname: string };
  container: string;
  prefix: string;
  conflict: Transfer['conflictPolicy'];
  requestedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  totals: { files: number; bytes: number; byOutcome: Record<string, number> };
  items: ReceiptItem[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Moodle's fileurl as listed; a token is never part of it, but strip one anyway should a listing ever carry it. */
function sourceUrl(fileurl: string): string {
  try {
    const url = new URL(fileurl);
    url.searchParams.delete('token');
    url.searchParams.delete('wstoken');
    return url.toString();
  } catch {
    return fileurl;
  }
}

export function buildReceipt(transfer: Transfer, items: TransferItem[], blobUrl: (container: string, blobName: string) => string): TransferReceipt {
  const byOutcome: Record<string, number> = {};
  for (const item of items) byOutcome[item.status] = (byOutcome[item.status] ?? 0) + 1;
  return {
    transferId: transfer.id,
    status: transfer.status,
    course: { id: transfer.courseId, shortname: transfer.courseShortname, fullname: transfer.courseFullname },
    container: transfer.container,
    prefix: transfer.prefix,
    conflict: transfer.conflictPolicy,
    requestedBy: transfer.requestedBy,
    createdAt: transfer.createdAt.toISOString(),
    startedAt: iso(transfer.startedAt),
    finishedAt: iso(transfer.finishedAt),
    totals: { files: transfer.totalFiles, bytes: transfer.totalBytes, byOutcome },
    items: items.map((item) => ({
      itemId: item.id,
      fileId: item.fileId,
      section: item.section,
      module: item.moduleName,
      path: item.filepath,
      filename: item.filename,
      mimetype: item.mimetype,
      size: item.size,
      moodleTimemodified: new Date(item.timemodified * 1000).toISOString(),
      sourceUrl: sourceUrl(item.fileurl),
      container: transfer.container,
      blobName: item.blobName,
      blobUrl: blobUrl(transfer.container, item.blobName),
      outcome: item.status,
      bytesDone: item.bytesDone,
      sha256: item.sha256,
      md5: item.md5,
      etag: item.etag,
      attempts: item.attempts,
      startedAt: iso(item.startedAt),
      finishedAt: iso(item.finishedAt),
      errorCode: item.errorCode,
      errorMessage: item.errorMessage,
    })),
  };
}

const CSV_COLUMNS: Array<keyof ReceiptItem> = [
  'fileId',
  'section',
  'module',
  'path',
  'filename',
  'mimetype',
  'size',
  'moodleTimemodified',
  'sourceUrl',
  'container',
  'blobName',
  'blobUrl',
  'outcome',
  'bytesDone',
  'sha256',
  'md5',
  'etag',
  'attempts',
  'startedAt',
  'finishedAt',
  'errorCode',
  'errorMessage',
];

/**
 * RFC 4180 quoting; a cell a spreadsheet would run as a formula (a Moodle file may be called
 * "=HYPERLINK(…)") gets a leading apostrophe.
 */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function receiptCsv(receipt: TransferReceipt): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const item of receipt.items) lines.push(CSV_COLUMNS.map((column) => csvCell(item[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `<prefix>/<course>/ferry-manifest-<transfer id>.json`, sanitised the same way as the files beside it. */
export function manifestBlobName(transfer: Pick<Transfer, 'id' | 'prefix' | 'courseShortname'>): string {
  const probe = blobNameFor({
    prefix: transfer.prefix,
    courseShortname: transfer.courseShortname,
    section: 's',
    module: 'm',
    folderPath: '/',
    filename: 'f',
  });
  const courseDirectory = probe.split('/').slice(0, -3).join('/');
  return `${courseDirectory}/ferry-manifest-${transfer.id}.json`;
}
