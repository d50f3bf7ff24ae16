import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig } from './ferry-config';

const key = Buffer.alloc(32, 7).toString('base64');
const valid = {
  PUBLIC_URL: 'https://ferry.example.edu',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ferry',
  AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  ENCRYPTION_KEYS: `k1:${key}`,
};

describe(loadConfig.name, () => {
  it('builds a typed configuration with defaults', () => {
    const sut = loadConfig(valid);
    expect(sut.port).toBe(3000);
    expect(sut.redis.url).toBe('redis://127.0.0.1:6379');
    expect(sut.publicOrigin).toBe('https://ferry.example.edu');
    expect(sut.encryption.keys).toEqual([{ kid: 'k1', key: Buffer.alloc(32, 7) }]);
    expect(sut.azure.credentials).toEqual({ kind: 'connection-string', connectionString: 'UseDevelopmentStorage=true' });
    expect(sut.lti.clockSkewSeconds).toBe(5);
  });

  it('lists every wrong variable in one error', () => {
    let thrown: unknown;
    try {
      loadConfig({ PUBLIC_URL: 'ferry/', PORT: 'abc', ENCRYPTION_KEYS: 'nope', OPERATOR_TOKEN: 'short' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const text = (thrown as ConfigurationError).problems.join('\n');
    for (const variable of ['PUBLIC_URL', 'PORT', 'DATABASE_URL', 'AZURE_STORAGE_CONNECTION_STRING', 'ENCRYPTION_KEYS', 'OPERATOR_TOKEN']) {
      expect(text).toContain(variable);
    }
  });

  it('refuses http PUBLIC_URL and a missing operator token in production', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production', PUBLIC_URL: 'http://ferry.local' })).toThrow(
      /https:\/\/ in production[\s\S]*OPERATOR_TOKEN is required/,
    );
  });

  it('accepts http PUBLIC_URL in production when insecure URLs are explicitly allowed', () => {
    const sut = loadConfig({
      ...valid,
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://ferry.local',
      ALLOW_INSECURE_PLATFORM_URLS: 'true',
      OPERATOR_TOKEN: 'x'.repeat(32),
    });
    expect(sut.allowInsecurePlatformUrls).toBe(true);
  });

  it('uses account + key when no connection string is given', () => {
    const { AZURE_STORAGE_CONNECTION_STRING: _unused, ...rest } = valid;
    const sut = loadConfig({ ...rest, AZURE_STORAGE_ACCOUNT: 'acct', AZURE_STORAGE_KEY: 'secret' });
    expect(sut.azure.credentials).toEqual({
      kind: 'shared-key',
      account: 'acct',
      key: 'secret',
      endpoint: 'https://acct.blob.core.windows.net',
    });
  });

  it('uses a SAS token with the account or an endpoint, without its leading "?"', () => {
    const { AZURE_STORAGE_CONNECTION_STRING: _unused, ...rest } = valid;
    expect(loadConfig({ ...rest, AZURE_STORAGE_ACCOUNT: 'acct', AZURE_STORAGE_SAS_TOKEN: '?sv=2024&sig=x' }).azure.credentials).toEqual({
      kind: 'sas',
      endpoint: 'https://acct.blob.core.windows.net',
      sasToken: 'sv=2024&sig=x',
    });
    expect(loadConfig({ ...rest, AZURE_BLOB_ENDPOINT: 'https://blob.example.edu/', AZURE_STORAGE_SAS_TOKEN: 'sv=1' }).azure.credentials).toEqual({
      kind: 'sas',
      endpoint: 'https://blob.example.edu',
      sasToken: 'sv=1',
    });
  });

  it('uses Microsoft Entra ID when only the account or the endpoint is set', () => {
    const { AZURE_STORAGE_CONNECTION_STRING: _unused, ...rest } = valid;
    expect(loadConfig({ ...rest, AZURE_STORAGE_ACCOUNT: 'acct' }).azure.credentials).toEqual({
      kind: 'default-azure-credential',
      endpoint: 'https://acct.blob.core.windows.net',
    });
    expect(loadConfig({ ...rest, AZURE_BLOB_ENDPOINT: 'https://acct.blob.core.windows.net' }).azure.credentials).toEqual({
      kind: 'default-azure-credential',
      endpoint: 'https://acct.blob.core.windows.net',
    });
  });

  it('refuses an account key without the account name', () => {
    const { AZURE_STORAGE_CONNECTION_STRING: _unused, ...rest } = valid;
    expect(() => loadConfig({ ...rest, AZURE_BLOB_ENDPOINT: 'https://blob.example.edu', AZURE_STORAGE_KEY: 'secret' })).toThrow(
      /AZURE_STORAGE_KEY needs AZURE_STORAGE_ACCOUNT/,
    );
  });
});
