import { describe, expect, it } from 'vitest';
import { snapshotOf, transferDetail, transferItem } from '@/testing/transfer-fixtures';
import { batchFraction, failedFirst, itemFraction, mergeSnapshot } from './transfer-progress';

describe(mergeSnapshot.name, () => {
  const a = transferItem({ name: 'a.pdf' });
  const b = transferItem({ name: 'b.pdf' });
  const c = transferItem({ name: 'c.pdf' });

  it('takes the first snapshot whole when there is no detail yet', () => {
    const detail = transferDetail([a, b]);

    expect(mergeSnapshot(undefined, snapshotOf(detail))).toEqual(detail);
  });

  it('puts the changed items in place, keeps the others as they were, and takes the new summary', () => {
    const before = transferDetail([a, b, c]);
    const running = { ...b, status: 'running' as const, bytesDone: 512 };
    const after = transferDetail([a, running, c]);

    const merged = mergeSnapshot(before, snapshotOf(after, [running]));

    expect(merged.items).toEqual([a, running, c]);
    expect(merged.items[0]).toBe(before.items[0]);
    expect(merged.items[2]).toBe(before.items[2]);
    expect(merged.status).toBe('running');
    expect(merged.progress.bytesDone).toBe(512);
  });

  it('keeps the items when a snapshot changes only the summary, and adds items it did not know', () => {
    const before = transferDetail([a]);
    const summaryOnly = mergeSnapshot(before, snapshotOf(transferDetail([a], { manifestBlobName: 'TR101/manifest.json' }), []));
    expect(summaryOnly.items).toBe(before.items);
    expect(summaryOnly.manifestBlobName).toBe('TR101/manifest.json');

    expect(mergeSnapshot(before, snapshotOf(transferDetail([a, b]), [b])).items).toEqual([a, b]);
  });
});

describe(failedFirst.name, () => {
  it('moves failed files to the front and keeps the batch order otherwise', () => {
    const items = [
      transferItem({ name: '1', status: 'succeeded' }),
      transferItem({ name: '2', status: 'failed' }),
      transferItem({ name: '3', status: 'running' }),
      transferItem({ name: '4', status: 'failed' }),
    ];

    expect(failedFirst(items).map((item) => item.name)).toEqual(['2', '4', '1', '3']);
  });
});

describe(itemFraction.name, () => {
  it('counts a succeeded or skipped file whole, and an empty one not started as nothing', () => {
    expect(itemFraction(transferItem({ name: 'a', size: 200, bytesDone: 50, status: 'running' }))).toBe(0.25);
    expect(itemFraction(transferItem({ name: 'b', size: 200, bytesDone: 0, status: 'skipped' }))).toBe(1);
    expect(itemFraction(transferItem({ name: 'c', size: 0, status: 'queued' }))).toBe(0);
  });
});

describe(batchFraction.name, () => {
  it('goes by bytes, or by finished files when the batch has no bytes', () => {
    const bytes = transferDetail([transferItem({ name: 'a', size: 300, bytesDone: 100, status: 'running' }), transferItem({ name: 'b', size: 100 })]);
    expect(batchFraction(bytes)).toBe(0.25);

    const empty = transferDetail([transferItem({ name: 'a', size: 0, status: 'succeeded' }), transferItem({ name: 'b', size: 0 })]);
    expect(batchFraction(empty)).toBe(0.5);
  });
});
