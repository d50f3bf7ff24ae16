import { describe, expect, it } from 'vitest';
import { buildReceipt, manifestBlobName, receiptCsv } from './transfer-receipt';
import type { TransferItem } from './transfer-item.entity';
import type { Transfer } from './transfer.entity';

const transfer = {
  id: '6f1c1b9e-2d55-4c0b-9a51-1f6b3d2a7c10',
  status: 'failed',
  courseId: 2,
  courseShortname: 'TRANSFER101',
  courseFullname: 'Transfer 101',
  container: 'ferry',
  prefix: 'archive/2025',
  conflictPolicy: 'skip_identical',
  requestedBy: 'user-1',
  totalFiles: 2,
  totalBytes: 30,
  createdAt: new Date('2025-01-01T10:00:00Z'),
  startedAt: new Date('2025-01-01T10:00:01Z'),
  finishedAt: new Date('2025-01-01T10:00:09Z'),
} as Transfer;

function item(overrides: Partial<TransferItem>): TransferItem {
  return {
    id: 'item',
    fileId: 'f1',
    section: 'Week 1',
    moduleName: 'Slides',
    filepath: '/',
    filename: 'a.pdf',
    mimetype: 'application/pdf',
    size: 10,
    timemodified: 1_700_000_000,
    fileurl: 'https://moodle.test/webservice/pluginfile.php/5/mod_resource/content/0/a.pdf?forcedownload=1',
    blobName: 'archive/2025/TRANSFER101/Week 1/Slides/a.pdf',
    status: 'succeeded',
    bytesDone: 10,
    sha256: 'ab'.repeat(32),
    md5: 'md5==',
    etag: '"0x1"',
    attempts: 1,
    startedAt: null,
    finishedAt: null,
    errorCode: null,
    errorMessage: null,
    ...overrides,
  } as TransferItem;
}

describe(buildReceipt.name, () => {
  it('lists every item with its outcome, checksums and blob URL, and counts outcomes', () => {
    const receipt = buildReceipt(
      transfer,
      [item({}), item({ id: 'item-2', fileId: 'f2', status: 'failed', errorCode: 'size_mismatch', errorMessage: 'Too short' })],
      (container, name) => `https://acct.blob.core.windows.net/${container}/${encodeURI(name)}`,
    );
    expect(receipt.totals.byOutcome).toEqual({ succeeded: 1, failed: 1 });
    expect(receipt.items[0]).toMatchObject({
      blobUrl: 'https://acct.blob.core.windows.net/ferry/archive/2025/TRANSFER101/Week%201/Slides/a.pdf',
      moodleTimemodified: '2023-11-14T22:13:20.000Z',
      sha256: 'ab'.repeat(32),
    });
    expect(receipt.items[1]).toMatchObject({ outcome: 'failed', errorCode: 'size_mismatch' });
  });
});

describe(receiptCsv.name, () => {
  it('quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const receipt = buildReceipt(transfer, [item({ filename: '=HYPERLINK("x"), y.pdf' })], () => 'u');
    const [header, row] = receiptCsv(receipt).split('\r\n');
    expect(header.split(',')).toContain('sha256');
    expect(row).toContain(`"'=HYPERLINK(""x""), y.pdf"`);
  });
});

describe(manifestBlobName.name, () => {
  it('sits in the course folder under the prefix', () => {
    expect(manifestBlobName(transfer)).toBe('archive/2025/TRANSFER101/ferry-manifest-6f1c1b9e-2d55-4c0b-9a51-1f6b3d2a7c10.json');
    expect(manifestBlobName({ ...transfer, prefix: '' })).toBe('TRANSFER101/ferry-manifest-6f1c1b9e-2d55-4c0b-9a51-1f6b3d2a7c10.json');
  });
});
