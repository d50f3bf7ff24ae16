import { Module } from '@nestjs/common';
import { BlobStorage } from './blob-storage.service';
import { HashingThreads } from './hashing-threads';
import { StreamingBlobUploader } from './streaming-blob-uploader';

@Module({ providers: [BlobStorage, HashingThreads, StreamingBlobUploader], exports: [BlobStorage, StreamingBlobUploader] })
export class AzureStorageModule {}
