import type { ConnectionOptions } from 'bullmq';

export const TRANSFERS_QUEUE = 'transfers';
export const TRANSFER_ITEM_JOB = 'transfer-item';
/** The job's `backoff.type`: exponential with jitter, see `transferRetryDelay`. */
export const TRANSFER_BACKOFF = 'ferry-exponential-jitter';
/** Channel on which the api tells every worker to stop items now. */
export const TRANSFER_CANCEL_CHANNEL = 'ferry:transfers:cancel';

/** A job is one item; it carries whose Moodle token to use, and nothing secret. */
export interface TransferJobData {
  transferId: string;
  itemId: string;
  platformId: string;
  userId: string;
}

export interface TransferCancelMessage {
  transferId: string;
  /** Null: every item of the batch. */
  itemIds: string[] | null;
}

const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * Delay before retry number `attemptsMade` (1 = the first retry): base × 2^(n−1), capped at five
 * minutes, then "equal jitter" (a random point in its upper half), so workers that failed together
 * do not all come back at the same moment.
 */
export function transferRetryDelay(attemptsMade: number, baseDelayMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** BullMQ connection options from a redis:// or rediss:// URL. */
export function bullConnectionFor(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    db,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ's blocking connections must wait for Redis rather than give up after a few retries.
    maxRetriesPerRequest: null,
  };
}

export function isTransferJobData(value: unknown): value is TransferJobData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Record<string, unknown>;
  return ['transferId', 'itemId', 'platformId', 'userId'].every((key) => typeof data[key] === 'string' && (data[key] as string).length > 0);
}
