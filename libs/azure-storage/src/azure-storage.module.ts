import { Module } from '@nestjs/common';
import { BlobStorage } from './blob-storage.service';

@Module({ providers: [BlobStorage], exports: [BlobStorage] })
export class AzureStorageModule {}
