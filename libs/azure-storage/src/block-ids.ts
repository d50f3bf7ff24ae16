/** Azure: at most 50,000 committed blocks per blob. */
export const MAX_BLOCKS_PER_BLOB = 50_000;
const BLOCK_INDEX_DIGITS = 6;
/** Azure: a block id is at most 64 bytes before base64 encoding. */
const MAX_RAW_BLOCK_ID_BYTES = 64;
export const MAX_UPLOAD_ID_BYTES = MAX_RAW_BLOCK_ID_BYTES - BLOCK_INDEX_DIGITS - 1;

/**
 * The block id of block `index` of upload `uploadId`: base64 of `${uploadId}:${index}` with the
 * index zero-padded, so a restarted upload finds its own staged blocks by name, and every id of
 * one upload has the same length (Azure refuses mixed lengths within a blob).
 */
export function blockIdFor(uploadId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_BLOCKS_PER_BLOB) {
    throw new RangeError(`A block index must be an integer from 0 to ${MAX_BLOCKS_PER_BLOB - 1}.`);
  }
  return Buffer.from(`${uploadId}:${String(index).padStart(BLOCK_INDEX_DIGITS, '0')}`, 'utf8').toString('base64');
}

/** Problems with an upload id as a block id prefix; empty when usable. */
export function validateUploadId(uploadId: string): string[] {
  const problems: string[] = [];
  if (uploadId.length === 0) problems.push('An upload id must not be empty.');
  if (Buffer.byteLength(uploadId, 'utf8') > MAX_UPLOAD_ID_BYTES) {
    problems.push(`An upload id may be at most ${MAX_UPLOAD_ID_BYTES} bytes long.`);
  }
  return problems;
}
