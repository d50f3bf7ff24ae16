import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { AzureCredentials } from '@ferry/config';

/** One client for the configured account: connection string, account + key, or Microsoft Entra ID. */
export function createBlobServiceClient(credentials: AzureCredentials): BlobServiceClient {
  switch (credentials.kind) {
    case 'connection-string':
      return BlobServiceClient.fromConnectionString(credentials.connectionString);
    case 'shared-key':
      return new BlobServiceClient(
        credentials.endpoint,
        new StorageSharedKeyCredential(credentials.account, credentials.key),
      );
    case 'default-azure-credential':
      return new BlobServiceClient(credentials.endpoint, new DefaultAzureCredential());
  }
}
