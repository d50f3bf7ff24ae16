import { describe, expect, it } from 'vitest';
import { finalTransferStatus } from './transfer-status';

describe(finalTransferStatus.name, () => {
  it('is null while any item is queued or running', () => {
    expect(finalTransferStatus({ succeeded: 3, queued: 1 })).toBeNull();
    expect(finalTransferStatus({ failed: 3, running: 1 })).toBeNull();
  });

  it('fails the batch when any item failed, even beside cancelled ones', () => {
    expect(finalTransferStatus({ succeeded: 2, failed: 1, cancelled: 1 })).toBe('failed');
  });

  it('is cancelled when items were cancelled and none failed', () => {
    expect(finalTransferStatus({ succeeded: 2, cancelled: 1 })).toBe('cancelled');
  });

  it('counts skipped files as done', () => {
    expect(finalTransferStatus({ succeeded: 2, skipped: 5 })).toBe('succeeded');
    expect(finalTransferStatus({ skipped: 1 })).toBe('succeeded');
  });
});
