import { afterEach, describe, expect, it, vi } from 'vitest';
import { LaunchLookupCache } from './launch-lookup-cache';

describe(LaunchLookupCache.name, () => {
  afterEach(() => vi.useRealTimers());

  it('asks the database once per key while fresh, and again once expired', async () => {
    vi.useFakeTimers();
    const cache = new LaunchLookupCache(5_000);
    const load = vi.fn(async () => ({ id: 'p1' }));
    await cache.remember('id:p1', load);
    await cache.remember('id:p1', load);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_001);
    await cache.remember('id:p1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one pending lookup between concurrent launches', async () => {
    const cache = new LaunchLookupCache(5_000);
    const load = vi.fn(async () => 'platform');
    await Promise.all([cache.remember('k', load), cache.remember('k', load), cache.remember('k', load)]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed lookup', async () => {
    const cache = new LaunchLookupCache(5_000);
    await expect(cache.remember('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await expect(cache.remember('k', async () => 'back')).resolves.toBe('back');
  });

  it('forgets everything on clear, as a write through PlatformsService does', async () => {
    const cache = new LaunchLookupCache(5_000);
    await cache.remember('k', async () => 'active');
    cache.clear();
    await expect(cache.remember('k', async () => 'inactive')).resolves.toBe('inactive');
  });
});
