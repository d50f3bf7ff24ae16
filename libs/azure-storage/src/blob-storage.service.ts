import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { BlobServiceClient, BlockBlobClient } from '@azure/storage-blob';
import { FerryConfig } from '@ferry/config';
import { ErrorCode, FerryError, ValidationFailedError } from '@ferry/errors';
import { createBlobServiceClient } from './blob-service-client.factory';
import { validateContainerName } from './blob-naming';
import { isBlobNotFound } from './storage-errors';

/** What identifies a stored blob's content, for `skip_identical` and conditional overwrites. */
export interface BlobIdentity {
  etag: string;
  size: number;
  /** Hex, from the `sha256` metadata Ferry writes; null for a blob Ferry did not upload. */
  sha256: string | null;
  /** Base64, or null when the blob has no Content-MD5. */
  contentMD5: string | null;
}

export interface VerifiedBlob {
  sha256: string;
  md5: string;
  size: number;
}

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

  blockBlobClient(container: string, blobName: string): BlockBlobClient {
    return this.serviceClient.getContainerClient(container).getBlockBlobClient(blobName);
  }

  /** The blob's address for receipts: never carries a SAS token from the configured credentials. */
  blobUrl(container: string, blobName: string): string {
    const url = new URL(this.blockBlobClient(container, blobName).url);
    url.search = '';
    return url.toString();
  }

  /**
   * Makes sure the container exists. Creates it when `create` allows; otherwise a missing container
   * is `container_not_allowed`, since Ferry must not make containers an admin did not ask for.
   */
  async ensureContainer(name: string, options: { create: boolean; signal?: AbortSignal }): Promise<{ created: boolean }> {
    const problems = validateContainerName(name);
    if (problems.length > 0) throw new ValidationFailedError({ container: problems });
    const container = this.serviceClient.getContainerClient(name);
    if (options.create) {
      const response = await container.createIfNotExists({ abortSignal: options.signal });
      return { created: response.succeeded };
    }
    if (await container.exists({ abortSignal: options.signal })) return { created: false };
    throw new FerryError(
      ErrorCode.ContainerNotAllowed,
      `The container "${name}" does not exist, and Ferry is not allowed to create it.`,
      { container: name },
      'Create the container in the storage account, or choose an existing one.',
    );
  }

  /** The stored blob's identity, or null when there is no blob of that name. */
  async readBlobIdentity(container: string, blobName: string, signal?: AbortSignal): Promise<BlobIdentity | null> {
    try {
      const properties = await this.blockBlobClient(container, blobName).getProperties({ abortSignal: signal });
      return {
        etag: properties.etag as string,
        size: properties.contentLength ?? 0,
        sha256: properties.metadata?.sha256 ?? null,
        contentMD5: properties.contentMD5 ? Buffer.from(properties.contentMD5).toString('base64') : null,
      };
    } catch (error) {
      if (isBlobNotFound(error)) return null;
      throw error;
    }
  }

  /** Reads the committed blob back and hashes it (the optional "verify after upload"). Streams: memory stays flat. */
  async verifyBlob(container: string, blobName: string, signal?: AbortSignal): Promise<VerifiedBlob> {
    const download = await this.blockBlobClient(container, blobName).download(0, undefined, { abortSignal: signal });
    const body = download.readableStreamBody;
    if (!body) throw new Error('The blob download returned no body stream.');
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      sha256.update(chunk);
      md5.update(chunk);
      size += chunk.length;
    }
    return { sha256: sha256.digest('hex'), md5: md5.digest('base64'), size };
  }
}
