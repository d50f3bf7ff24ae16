import { isRetryableStorageError } from '@ferry/azure-storage';
import { ErrorCode, FerryError } from '@ferry/errors';

/** The reason a running item's signal is aborted when an admin cancels it. */
export class TransferCancelled extends Error {
  constructor() {
    super('The transfer was cancelled.');
    this.name = 'TransferCancelled';
  }
}

/** The reason running items are aborted when the worker stops (SIGTERM): they go back to the queue. */
export class WorkerShuttingDown extends Error {
  constructor() {
    super('The worker is shutting down; the file goes back to the queue and resumes from its staged blocks.');
    this.name = 'WorkerShuttingDown';
  }
}

/** Moodle's file changed between two attempts: the staged blocks are of the old file. */
export const SOURCE_CHANGED = 'source_changed';
export const VERIFY_MISMATCH = 'verify_mismatch';

const RETRYABLE_CODES = new Set<string>([ErrorCode.MoodleUnreachable, ErrorCode.MoodleMaintenance, ErrorCode.StorageUnavailable]);

/**
 * Whether another attempt later can succeed. Moodle or Azure unreachable, 5xx, 429/503 throttling,
 * resets and timeouts: yes. A refused token (already refreshed once), access denied, a foreign
 * fileurl, a size mismatch, a taken blob name, any other 4xx: no — trying again changes nothing.
 * An error of no known kind (a stream broken in a way nobody labelled) gets the benefit of the
 * doubt: the attempts are bounded.
 */
export function isRetryableTransferError(error: unknown): boolean {
  if (error instanceof FerryError) {
    if (RETRYABLE_CODES.has(error.code)) return true;
    const details = (error.details ?? {}) as { httpStatus?: number; reason?: string };
    if (error.code === ErrorCode.MoodleError) {
      return details.reason === SOURCE_CHANGED || details.httpStatus === 429 || (details.httpStatus ?? 0) >= 500;
    }
    return false;
  }
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && status > 0) return isRetryableStorageError(error);
  if ((error as { name?: string } | null)?.name === 'AbortError') return false;
  return true;
}

const MAX_MESSAGE = 1000;

/** What the item records: Ferry's code, or a generic one for errors from a library. */
export function describeTransferError(error: unknown): { code: string; message: string } {
  if (error instanceof FerryError) return { code: error.code, message: error.message.slice(0, MAX_MESSAGE) };
  const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_MESSAGE);
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && status > 0) {
    return { code: isRetryableStorageError(error) ? ErrorCode.StorageUnavailable : 'storage_error', message };
  }
  return { code: 'network_error', message };
}
