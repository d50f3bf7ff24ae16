export { AzureStorageModule } from './azure-storage.module';
export { createBlobServiceClient } from './blob-service-client.factory';
export { BlobStorage } from './blob-storage.service';
export {
  MAX_BLOB_NAME_LENGTH,
  MAX_BLOB_PATH_SEGMENTS,
  MAX_BLOB_PREFIX_LENGTH,
  blobNameFor,
  validateBlobPrefix,
  validateContainerName,
  withNameSuffix,
} from './blob-naming';
export type { BlobNameParts } from './blob-naming';
