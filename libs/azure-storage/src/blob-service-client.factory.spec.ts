import { DefaultAzureCredential } from '@azure/identity';
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
    expect(client.credential).toBeInstanceOf(DefaultAzureCredential);
    expect(client.url).toBe('https://acct.blob.core.windows.net/');
  });
});
