import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferryDataSourceOptions } from '@ferry/database';
import { testDatabaseUrl } from '@ferry/testing';
import { insertPlatformAndUser, insertTransfer } from './testing/transfer-fixtures';
import { TransferItem } from './transfer-item.entity';
import { TransferItemRepository } from './transfer-item.repository';

describe(TransferItemRepository.name, () => {
  let dataSource: DataSource;
  let sut: TransferItemRepository;
  const attempt = { attempt: 2, maxAttempts: 6, worker: 'host:1' };

  const row = async (itemId: string) => (await dataSource.query('SELECT * FROM transfer_items WHERE id = $1', [itemId]))[0];
  const events = (itemId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
    dataSource.query('SELECT type, data FROM transfer_events WHERE item_id = $1 ORDER BY id', [itemId]);

  beforeAll(async () => {
    dataSource = await new DataSource(ferryDataSourceOptions(testDatabaseUrl())).initialize();
    sut = new TransferItemRepository(dataSource.getRepository(TransferItem));
  });
  afterAll(() => dataSource.destroy());

  it('claims a queued or running item with its attempt_started event, and gives the row as the entity', async () => {
    const owner = await insertPlatformAndUser(dataSource);
    const checkpoint = { blockIndex: 2, bytes: 16 * 1024 * 1024, sha256State: 'c2hh', md5State: 'bWQ1' };
    const { transfer, items } = await insertTransfer(dataSource, owner, [{ size: 5_000_000_000, checkpoint }, { status: 'running' }]);
    const before = await row(items[0].id);

    const claimed = await sut.claim(transfer.id, items[0].id, attempt);

    expect(claimed).toBeInstanceOf(TransferItem);
    expect(claimed).toMatchObject({ id: items[0].id, status: 'running', attempts: 1, size: 5_000_000_000, timemodified: 1_700_000_000, bytesDone: 0, checkpoint });
    expect(claimed?.startedAt).toBeInstanceOf(Date);
    expect((await row(items[0].id)).updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    await expect(events(items[0].id)).resolves.toEqual([
      { type: 'attempt_started', data: { ...attempt, blobName: items[0].blobName } },
    ]);
    await expect(sut.claim(transfer.id, items[1].id, attempt)).resolves.toMatchObject({ status: 'running', attempts: 1 });
  });

  it('claims nothing, and records nothing, for an item cancelled, final or of another batch', async () => {
    const owner = await insertPlatformAndUser(dataSource);
    const { transfer, items } = await insertTransfer(dataSource, owner, [{ status: 'cancelled' }, { status: 'succeeded' }, {}]);
    const other = await insertTransfer(dataSource, owner);

    await expect(sut.claim(transfer.id, items[0].id, attempt)).resolves.toBeNull();
    await expect(sut.claim(transfer.id, items[1].id, attempt)).resolves.toBeNull();
    await expect(sut.claim(other.transfer.id, items[2].id, attempt)).resolves.toBeNull();
    for (const item of items) await expect(events(item.id)).resolves.toEqual([]);
    expect((await row(items[2].id)).status).toBe('queued');
  });

  it('records the outcome of a running item with its event, and of one cancelled meanwhile as cancelled', async () => {
    const owner = await insertPlatformAndUser(dataSource);
    const { items } = await insertTransfer(dataSource, owner, [
      { status: 'running', errorCode: 'storage_unavailable', errorMessage: 'earlier attempt', checkpoint: { blockIndex: 1, bytes: 1, sha256State: '', md5State: '' } },
      { status: 'cancelled' },
    ]);
    const outcome = { status: 'succeeded' as const, blobName: 'renamed (2).bin', sha256: 'ab'.repeat(32), md5: 'bWQ1', etag: '"0x1"', bytesDone: 1024 };

    await expect(sut.recordOutcome(items[0], outcome, { size: 1024 })).resolves.toBe('succeeded');
    await expect(sut.recordOutcome(items[1], outcome, { size: 1024 })).resolves.toBe('cancelled');

    expect(await row(items[0].id)).toMatchObject({
      status: 'succeeded',
      blob_name: 'renamed (2).bin',
      sha256: outcome.sha256,
      md5: 'bWQ1',
      etag: '"0x1"',
      bytes_done: '1024',
      error_code: null,
      error_message: null,
      checkpoint: null,
      finished_at: expect.any(Date),
    });
    expect(await row(items[1].id)).toMatchObject({ status: 'cancelled', sha256: null, finished_at: null });
    await expect(events(items[0].id)).resolves.toEqual([{ type: 'succeeded', data: { size: 1024 } }]);
    await expect(events(items[1].id)).resolves.toEqual([{ type: 'cancelled', data: { size: 1024 } }]);
  });
});
