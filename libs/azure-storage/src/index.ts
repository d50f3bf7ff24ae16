export { AzureStorageModule } from './azure-storage.module';
export { createBlobServiceClient } from './blob-service-client.factory';
export { BlobStorage } from './blob-storage.service';
