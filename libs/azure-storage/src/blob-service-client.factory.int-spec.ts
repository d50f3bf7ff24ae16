import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { testConfig, testStorageConnectionString } from '@ferry/testing';
import { BlobStorage } from './blob-storage.service';

function azuriteAccount(): { account: string; key: string; endpoint: string } {
  const parts = Object.fromEntries(
    testStorageConnectionString()
      .split(';')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { account: parts.AccountName, key: parts.AccountKey, endpoint: parts.BlobEndpoint.replace(/\/$/, '') };
}

describe('Azure credentials against Azurite', () => {
  const { account, key, endpoint } = azuriteAccount();
  const withoutConnectionString = { AZURE_STORAGE_CONNECTION_STRING: '' };

  it('works with account + key and an explicit endpoint', async () => {
    const storage = new BlobStorage(testConfig({ ...withoutConnectionString, AZURE_STORAGE_ACCOUNT: account, AZURE_STORAGE_KEY: key, AZURE_BLOB_ENDPOINT: endpoint }));
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it('works with a SAS token, and never puts it into a blob URL for receipts', async () => {
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 10 * 60_000),
        permissions: AccountSASPermissions.parse('rwdlac'),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
        services: AccountSASServices.parse('b').toString(),
      },
      new StorageSharedKeyCredential(account, key),
    ).toString();
    const storage = new BlobStorage(testConfig({ ...withoutConnectionString, AZURE_BLOB_ENDPOINT: endpoint, AZURE_STORAGE_SAS_TOKEN: `?${sas}` }));

    await expect(storage.ensureContainer('sas-check', { create: true })).resolves.toBeDefined();
    await storage.blockBlobClient('sas-check', 'hello.txt').upload('hi', 2);
    await expect(storage.readBlobIdentity('sas-check', 'hello.txt')).resolves.toMatchObject({ size: 2 });
    expect(storage.blobUrl('sas-check', 'hello.txt')).toBe(`${endpoint}/sas-check/hello.txt`);
    await storage.serviceClient.getContainerClient('sas-check').delete();
  });

  it('is refused with a wrong SAS signature', async () => {
    const storage = new BlobStorage(testConfig({ ...withoutConnectionString, AZURE_BLOB_ENDPOINT: endpoint, AZURE_STORAGE_SAS_TOKEN: 'sv=2024-08-04&ss=b&srt=sco&sp=r&se=2099-01-01T00:00:00Z&sig=bm90LXJlYWw%3D' }));
    await expect(storage.ping()).rejects.toMatchObject({ statusCode: 403 });
  });
});
