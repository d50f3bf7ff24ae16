import { DefaultAzureCredential } from '@azure/identity';
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
    case 'default-azure-credential':
      return new BlobServiceClient(credentials.endpoint, new DefaultAzureCredential());
  }
}
