import { randomBytes } from 'node:crypto';
import { loadConfig, type FerryConfig } from '@ferry/config';

export const TEST_AZURITE_PORT = Number(process.env.FERRY_TEST_AZURITE_PORT ?? 10_110);

/** The integration and e2e suites' own database, recreated by the global setup on every run. */
export function testDatabaseUrl(): string {
  return process.env.FERRY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ferry_test';
}

export function testRedisUrl(): string {
  return process.env.FERRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
}

export function testStorageConnectionString(): string {
  return (
    process.env.FERRY_TEST_AZURE_STORAGE_CONNECTION_STRING ??
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${TEST_AZURITE_PORT}/devstoreaccount1;`
  );
}

const testEncryptionKey = `test:${randomBytes(32).toString('base64')}`;

/** A valid configuration pointing at the test services; override what a test is about. */
export function testConfig(overrides: Record<string, string> = {}): FerryConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://localhost:3000',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: testRedisUrl(),
    AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    ENCRYPTION_KEYS: testEncryptionKey,
    OPERATOR_TOKEN: 'test-operator-token-0123456789abcdef',
    ALLOW_INSECURE_PLATFORM_URLS: 'true',
    LOG_LEVEL: 'error',
    ...overrides,
  });
}
