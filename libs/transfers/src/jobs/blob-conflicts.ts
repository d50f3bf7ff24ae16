import { withNameSuffix, type BlobStorage, type BlobWriteCondition } from '@ferry/azure-storage';
import { ErrorCode, FerryError } from '@ferry/errors';
import type { ConflictPolicy } from '../transfer-status';

/** What a blob of that name holds now, with the Ferry item that wrote it (if Ferry did). */
export interface ExistingBlob {
  etag: string;
  size: number;
  sha256: string | null;
  contentMD5: string | null;
  ferryItem: string | null;
}

export type UploadTarget =
  | { kind: 'upload'; blobName: string; condition: BlobWriteCondition | null; renamedFrom: string | null }
  | { kind: 'skip'; blobName: string; existing: ExistingBlob };

export async function inspectBlob(storage: BlobStorage, container: string, blobName: string, signal?: AbortSignal): Promise<ExistingBlob | null> {
  try {
    const properties = await storage.blockBlobClient(container, blobName).getProperties({ abortSignal: signal });
    return {
      etag: properties.etag as string,
      size: properties.contentLength ?? 0,
      sha256: properties.metadata?.sha256 ?? null,
      contentMD5: properties.contentMD5 ? Buffer.from(properties.contentMD5).toString('base64') : null,
      ferryItem: properties.metadata?.ferryitem ?? null,
    };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const code = (error as { code?: string; details?: { errorCode?: string } }).code ?? (error as { details?: { errorCode?: string } }).details?.errorCode;
    if (status === 404 && code !== 'ContainerNotFound') return null;
    throw error;
  }
}

export interface ConflictInput {
  policy: ConflictPolicy;
  container: string;
  blobName: string;
  itemId: string;
  size: number;
  /** The SHA-256 a previous successful transfer of this same Moodle file (same size and timemodified) recorded. */
  knownSha256: (sha256: string) => Promise<boolean>;
  signal?: AbortSignal;
}

const MAX_RENAME_TRIES = 1000;

/**
 * Decides, for one item, where its blob goes and on what condition:
 * - a blob this very item committed before (a worker died before recording it) is this item's;
 * - `skip_identical`: same size and a SHA-256 that a previous transfer of the same Moodle file
 *   recorded → skipped; a different blob is replaced, only if it is still the one seen (ifMatch);
 * - `overwrite`: replaced if still the one seen (ifMatch), created if none (ifNoneMatch '*');
 * - `fail`: an existing blob fails the item (blob_exists);
 * - `rename`: the next free `name (n).ext`, created only if still free.
 */
export async function resolveUploadTarget(storage: BlobStorage, input: ConflictInput): Promise<UploadTarget> {
  const { policy, container, blobName, itemId, signal } = input;
  const existing = await inspectBlob(storage, container, blobName, signal);
  if (!existing) return { kind: 'upload', blobName, condition: { ifNoneMatch: '*' }, renamedFrom: null };
  if (existing.ferryItem === itemId) return { kind: 'upload', blobName, condition: null, renamedFrom: null };

  switch (policy) {
    case 'skip_identical':
      if (existing.size === input.size && existing.sha256 && (await input.knownSha256(existing.sha256))) {
        return { kind: 'skip', blobName, existing };
      }
      return { kind: 'upload', blobName, condition: { ifMatch: existing.etag }, renamedFrom: null };
    case 'overwrite':
      return { kind: 'upload', blobName, condition: { ifMatch: existing.etag }, renamedFrom: null };
    case 'fail':
      throw new FerryError(
        ErrorCode.BlobExists,
        `The blob "${blobName}" already exists in container "${container}", and this transfer's policy is to fail rather than replace it.`,
        { container, blobName },
      );
    case 'rename':
      for (let n = 2; n < MAX_RENAME_TRIES; n++) {
        const candidate = withNameSuffix(blobName, n);
        const taken = await inspectBlob(storage, container, candidate, signal);
        if (!taken) return { kind: 'upload', blobName: candidate, condition: { ifNoneMatch: '*' }, renamedFrom: blobName };
        if (taken.ferryItem === itemId) return { kind: 'upload', blobName: candidate, condition: null, renamedFrom: blobName };
      }
      throw new FerryError(ErrorCode.BlobExists, `Every name from "${blobName}" to "(${MAX_RENAME_TRIES - 1})" is taken.`, { container, blobName });
  }
}
