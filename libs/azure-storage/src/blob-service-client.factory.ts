import { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { AzureCredentials } from '@ferry/config';

/**
 * One client for the configured account: connection string (Azurite in dev and tests), account +
 * key, a SAS token, or Microsoft Entra ID (managed identity, workload identity, environment or
 * Azure CLI credentials, through DefaultAzureCredential) for production without secrets.
 */
export function createBlobServiceClient(credentials: AzureCredentials): BlobServiceClient {
  switch (credentials.kind) {
    case 'connection-string':
      return BlobServiceClient.fromConnectionString(credentials.connectionString);
    case 'shared-key':
      return new BlobServiceClient(credentials.endpoint, new StorageSharedKeyCredential(credentials.account, credentials.key));
    case 'sas':
      return new BlobServiceClient(`${credentials.endpoint}?${credentials.sasToken}`, new AnonymousCredential());
    case 'default-azure-credential': {
      // Loaded only where Entra ID is configured: @azure/identity (with MSAL) costs every process
      // that loads it some 8 MiB of memory, for nothing when the account signs with a key.
      const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
      return new BlobServiceClient(credentials.endpoint, new DefaultAzureCredential());
    }
  }
}
