import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

// Deletes the lock only if it is still ours: after a slow refresh outlived the expiry, another
// process may hold it by now.
const RELEASE_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RefreshLockOptions {
  /** How long a holder may keep the lock before it lapses (a crashed process must not block refreshes forever). */
  ttlMs: number;
  /** How long a waiter waits for the holder before going ahead and reading what the holder stored. */
  waitMs: number;
  pollMs: number;
}

export const DEFAULT_REFRESH_LOCK: RefreshLockOptions = { ttlMs: 30_000, waitMs: 30_000, pollMs: 100 };

/**
 * One refresh at a time per admin across api replicas and workers: a rotating refresh token is
 * single use, so two processes refreshing at once would have Moodle revoke the whole grant.
 * `holder` runs when the lock is won; `waiter` after someone else's refresh has finished.
 */
export async function withRefreshLock<T>(
  redis: Redis,
  key: string,
  holder: () => Promise<T>,
  waiter: () => Promise<T>,
  options: RefreshLockOptions = DEFAULT_REFRESH_LOCK,
): Promise<T> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', options.ttlMs, 'NX')) === 'OK') {
    try {
      return await holder();
    } finally {
      await redis.eval(RELEASE_IF_OURS, 1, key, token);
    }
  }
  // Someone else is refreshing: wait for them (or for their lock to lapse), then use what they stored.
  const deadline = Date.now() + options.waitMs;
  while ((await redis.exists(key)) === 1 && Date.now() < deadline) await sleep(options.pollMs);
  return waiter();
}
