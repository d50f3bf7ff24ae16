import { describe, expect, it } from 'vitest';
import { MAX_BLOCKS_PER_BLOB, MAX_UPLOAD_ID_BYTES, blockIdFor, validateUploadId } from './block-ids';

const uploadId = '0b7e6c1a-3f1d-4c55-9d7e-7b1f0f4a2e11';

describe(blockIdFor.name, () => {
  it('is base64 of the upload id and the zero-padded index', () => {
    expect(Buffer.from(blockIdFor(uploadId, 7), 'base64').toString()).toBe(`${uploadId}:000007`);
  });

  it('is deterministic, so a restarted upload finds its own blocks', () => {
    expect(blockIdFor(uploadId, 3)).toBe(blockIdFor(uploadId, 3));
    expect(blockIdFor(uploadId, 3)).not.toBe(blockIdFor(uploadId, 4));
    expect(blockIdFor(uploadId, 3)).not.toBe(blockIdFor(uploadId.replace('0b', '1b'), 3));
  });

  it('gives every block of one upload an id of the same length', () => {
    const lengths = new Set([0, 9, 10, 999, 12_345, MAX_BLOCKS_PER_BLOB - 1].map((i) => blockIdFor(uploadId, i).length));
    expect(lengths.size).toBe(1);
  });

  it('stays within Azure\'s 64 bytes before encoding for the longest upload id', () => {
    const id = blockIdFor('x'.repeat(MAX_UPLOAD_ID_BYTES), MAX_BLOCKS_PER_BLOB - 1);
    expect(Buffer.from(id, 'base64').length).toBe(64);
  });

  it('refuses indexes Azure cannot commit', () => {
    expect(() => blockIdFor(uploadId, -1)).toThrow(RangeError);
    expect(() => blockIdFor(uploadId, MAX_BLOCKS_PER_BLOB)).toThrow(RangeError);
    expect(() => blockIdFor(uploadId, 1.5)).toThrow(RangeError);
  });
});

describe(validateUploadId.name, () => {
  it('accepts a uuid and refuses empty or too long ids', () => {
    expect(validateUploadId(uploadId)).toEqual([]);
    expect(validateUploadId('')).toHaveLength(1);
    expect(validateUploadId('é'.repeat(30))).toHaveLength(1);
  });
});
