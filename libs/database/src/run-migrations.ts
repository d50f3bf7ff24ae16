import { DataSource } from 'typeorm';
import { ferryDataSourceOptions } from './data-source-options';

// Any constant both replicas agree on; it names "Ferry schema migrations" among advisory locks.
const MIGRATION_LOCK_ID = 7_345_201;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so several api replicas starting
 * together migrate exactly once and the others wait, then find nothing to do.
 */
export async function runMigrationsUnderLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
  }
}

/** Opens a short-lived connection, applies pending migrations under the lock, and closes it. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const dataSource = await new DataSource(ferryDataSourceOptions(url, { extra: { max: 2 } })).initialize();
  try {
    return await runMigrationsUnderLock(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
