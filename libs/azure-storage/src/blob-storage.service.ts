import { Injectable } from '@nestjs/common';
import type { BlobServiceClient } from '@azure/storage-blob';
import { FerryConfig } from '@ferry/config';
import { createBlobServiceClient } from './blob-service-client.factory';

@Injectable()
export class BlobStorage {
  readonly serviceClient: BlobServiceClient;

  constructor(config: FerryConfig) {
    this.serviceClient = createBlobServiceClient(config.azure.credentials);
  }

  /** A cheap authenticated round trip, for health checks. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.serviceClient.getProperties({ abortSignal: signal });
  }
}
