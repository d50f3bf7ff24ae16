export { testConfig, testDatabaseUrl, testRedisUrl, testStorageConnectionString, TEST_AZURITE_PORT } from './test-environment';
