import { describe, expect, it } from 'vitest';
import { bullConnectionFor, isTransferJobData, transferRetryDelay } from './transfers.queue';

describe(transferRetryDelay.name, () => {
  it('doubles per retry and keeps the jitter in the upper half', () => {
    expect(transferRetryDelay(1, 1000, () => 0)).toBe(500);
    expect(transferRetryDelay(1, 1000, () => 1)).toBe(1000);
    expect(transferRetryDelay(3, 1000, () => 0)).toBe(2000);
    expect(transferRetryDelay(3, 1000, () => 1)).toBe(4000);
  });

  it('never waits more than five minutes', () => {
    expect(transferRetryDelay(40, 2000, () => 1)).toBe(300_000);
  });
});

describe(bullConnectionFor.name, () => {
  it('reads host, port, database and credentials from the URL', () => {
    expect(bullConnectionFor('rediss://user:p%40ss@redis.example:6380/4')).toMatchObject({
      host: 'redis.example',
      port: 6380,
      db: 4,
      username: 'user',
      password: 'p@ss',
      tls: {},
      maxRetriesPerRequest: null,
    });
    expect(bullConnectionFor('redis://127.0.0.1:6379')).toMatchObject({ db: 0, tls: undefined });
  });
});

describe(isTransferJobData.name, () => {
  it('accepts a complete payload only', () => {
    expect(isTransferJobData({ transferId: 't', itemId: 'i', platformId: 'p', userId: 'u' })).toBe(true);
    expect(isTransferJobData({ transferId: 't', itemId: 'i', platformId: 'p' })).toBe(false);
    expect(isTransferJobData(null)).toBe(false);
  });
});
