import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AnonymousCredential, StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { createBlobServiceClient } from './blob-service-client.factory';

describe(createBlobServiceClient.name, () => {
  it('signs with the account key', () => {
    const client = createBlobServiceClient({ kind: 'shared-key', account: 'acct', key: Buffer.alloc(32).toString('base64'), endpoint: 'https://acct.blob.core.windows.net' });
    expect(client.credential).toBeInstanceOf(StorageSharedKeyCredential);
    expect(client.accountName).toBe('acct');
  });

  it('carries a SAS token on every URL, with no other credential', () => {
    const client = createBlobServiceClient({ kind: 'sas', endpoint: 'https://acct.blob.core.windows.net', sasToken: 'sv=2024-08-04&sig=abc' });
    expect(client.credential).toBeInstanceOf(AnonymousCredential);
    const blobUrl = new URL(client.getContainerClient('ferry').getBlockBlobClient('a b.pdf').url);
    expect(blobUrl.pathname).toBe('/ferry/a%20b.pdf');
    expect(blobUrl.searchParams.get('sig')).toBe('abc');
  });

  it('uses Microsoft Entra ID through DefaultAzureCredential', () => {
    const client = createBlobServiceClient({ kind: 'default-azure-credential', endpoint: 'https://acct.blob.core.windows.net' });
    // By name: the factory require()s the package's CommonJS build, this file imports its ES module build.
    expect(client.credential.constructor.name).toBe('DefaultAzureCredential');
    expect(client.url).toBe('https://acct.blob.core.windows.net/');
  });

  it('loads @azure/identity only when Entra ID is configured', () => {
    // A fresh process: this one's module cache already holds whatever other tests loaded.
    const probe = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-e',
        `const { createBlobServiceClient } = require('./libs/azure-storage/src/blob-service-client.factory.ts');
         const loaded = () => Object.keys(require.cache).some((path) => path.includes('@azure/identity'));
         createBlobServiceClient({ kind: 'connection-string', connectionString: 'UseDevelopmentStorage=true' });
         createBlobServiceClient({ kind: 'shared-key', account: 'acct', key: 'a2V5', endpoint: 'https://acct.blob.core.windows.net' });
         const withKeys = loaded();
         createBlobServiceClient({ kind: 'default-azure-credential', endpoint: 'https://acct.blob.core.windows.net' });
         process.stdout.write(JSON.stringify({ withKeys, withEntraId: loaded() }));`,
      ],
      { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ withKeys: false, withEntraId: true });
  });
});
