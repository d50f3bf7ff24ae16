import { Module } from '@nestjs/common';
import { BlobStorage } from './blob-storage.service';
import { StreamingBlobUploader } from './streaming-blob-uploader';

@Module({ providers: [BlobStorage, StreamingBlobUploader], exports: [BlobStorage, StreamingBlobUploader] })
export class AzureStorageModule {}
