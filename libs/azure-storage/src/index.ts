export { AzureStorageModule } from './azure-storage.module';
export { createBlobServiceClient } from './blob-service-client.factory';
export { BlobStorage } from './blob-storage.service';
export type { BlobIdentity, VerifiedBlob } from './blob-storage.service';
export { HASHING_THREAD_COUNT, HashingThreads } from './hashing-threads';
export {
  DEFAULT_STREAMING_UPLOAD_SETTINGS,
  STREAMING_UPLOAD_SETTINGS,
  StreamingBlobUploader,
} from './streaming-blob-uploader';
export type {
  BlobUploadOptions,
  BlobUploadProgress,
  BlobUploadRequest,
  BlobUploadResult,
  BlobWriteCondition,
  StreamingUploadSettings,
  UploadCheckpoint,
  UploadCheckpointStore,
} from './streaming-blob-uploader';
export { MAX_BLOCKS_PER_BLOB, blockIdFor, validateUploadId } from './block-ids';
export { isRetryableStorageError } from './storage-errors';
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
