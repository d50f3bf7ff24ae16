import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BlobStorage } from '@ferry/azure-storage';
import { InjectRedis } from '@ferry/redis';

export type DependencyStatus = 'up' | 'down';

export interface HealthReport {
  ok: boolean;
  checks: { database: DependencyStatus; redis: DependencyStatus; storage: DependencyStatus };
}

const CHECK_TIMEOUT_MS = 2_000;

async function probe(check: (signal: AbortSignal) => Promise<unknown>): Promise<DependencyStatus> {
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  const timedOut = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  try {
    await Promise.race([check(signal), timedOut]);
    return 'up';
  } catch {
    return 'down';
  }
}

/** Checks every dependency at once, each with its own timeout, so one hung dependency cannot hang the probe. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly storage: BlobStorage,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, redis, storage] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.redis.ping()),
      probe((signal) => this.storage.ping(signal)),
    ]);
    return { ok: database === 'up' && redis === 'up' && storage === 'up', checks: { database, redis, storage } };
  }
}
