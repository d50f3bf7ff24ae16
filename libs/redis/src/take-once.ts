import type { Redis } from 'ioredis';

/**
 * Reads and deletes a one-time value atomically (GETDEL), so of two requests racing for the same
 * state, nonce or code exactly one gets it.
 */
export async function takeOnce(redis: Redis, key: string): Promise<string | null> {
  return redis.getdel(key);
}
