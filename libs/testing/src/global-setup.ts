import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { startAzurite, type RunningAzurite } from '../../azure-storage/src/azurite';
import { ferryDataSourceOptions, runMigrationsUnderLock } from '../../database/src';
import { TEST_AZURITE_PORT, testDatabaseUrl, testRedisUrl } from './test-environment';

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Once per run: a fresh, fully migrated test database (migrations, not synchronize, so the suites
 * test the schema production gets), a reachable Redis, and an in-memory Azurite.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const url = testDatabaseUrl();
  await recreateDatabase(url);
  const dataSource = new DataSource(ferryDataSourceOptions(url));
  await dataSource.initialize();
  await runMigrationsUnderLock(dataSource);
  await dataSource.destroy();

  const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().catch((error: Error) => {
    throw new Error(`The integration tests need Redis at ${testRedisUrl()}: ${error.message}`);
  });
  await redis.flushdb();
  await redis.quit();

  let azurite: RunningAzurite | undefined;
  if (!process.env.FERRY_TEST_AZURE_STORAGE_CONNECTION_STRING) azurite = await startAzurite({ port: TEST_AZURITE_PORT });
  return async () => {
    await azurite?.stop();
  };
}
