import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStorage } from '@ferry/azure-storage';
import { ferryDataSourceOptions } from '@ferry/database';
import { testConfig, testDatabaseUrl } from '@ferry/testing';
import { insertPlatformAndUser, insertTransfer } from './testing/transfer-fixtures';
import { TransferEvent } from './transfer-event.entity';
import { TransferItem } from './transfer-item.entity';
import { TransferJournal } from './transfer-journal.service';
import { TransferSettlement } from './transfer-settlement.service';
import { Transfer } from './transfer.entity';

describe(TransferSettlement.name, () => {
  let dataSource: DataSource;
  let sut: TransferSettlement;
  const container = `settle-${Date.now()}`;

  const setStatus = (itemId: string, status: string) => dataSource.query('UPDATE transfer_items SET status = $2 WHERE id = $1', [itemId, status]);
  const batchEvents = (transferId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
    dataSource.query('SELECT type, data FROM transfer_events WHERE transfer_id = $1 AND item_id IS NULL ORDER BY id', [transferId]);

  beforeAll(async () => {
    dataSource = await new DataSource(ferryDataSourceOptions(testDatabaseUrl())).initialize();
    const storage = new BlobStorage(testConfig());
    await storage.ensureContainer(container, { create: true });
    sut = new TransferSettlement(
      dataSource.getRepository(Transfer),
      dataSource.getRepository(TransferItem),
      new TransferJournal(dataSource.getRepository(TransferEvent)),
      storage,
    );
  });
  afterAll(() => dataSource.destroy());

  it('leaves a batch open while any item is, wherever it stands, and settles it once none is', async () => {
    const owner = await insertPlatformAndUser(dataSource);
    const { transfer, items } = await insertTransfer(dataSource, owner, [{}, {}, {}], { container, status: 'running' });

    // The last item still open: the usual case while a batch runs.
    await setStatus(items[0].id, 'succeeded');
    await expect(sut.settle(transfer.id)).resolves.toBeNull();
    // The last item done, an earlier one still open (a retry, or a slow file).
    await setStatus(items[2].id, 'skipped');
    await setStatus(items[1].id, 'running');
    await expect(sut.settle(transfer.id)).resolves.toBeNull();
    await expect(batchEvents(transfer.id)).resolves.toEqual([]);

    await setStatus(items[1].id, 'succeeded');
    await expect(sut.settle(transfer.id)).resolves.toBe('succeeded');
    await expect(sut.settle(transfer.id)).resolves.toBeNull();

    const events = await batchEvents(transfer.id);
    expect(events.map((event) => event.type)).toEqual(['finished', 'manifest_written']);
    expect(events[0].data).toEqual({ status: 'succeeded', counts: { succeeded: 2, skipped: 1 } });
    expect((await dataSource.query('SELECT status FROM transfers WHERE id = $1', [transfer.id]))[0].status).toBe('succeeded');
  });
});
