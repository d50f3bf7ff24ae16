import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferryDataSourceOptions } from '@ferry/database';
import { testDatabaseUrl } from '@ferry/testing';
import { insertPlatformAndUser, insertTransfer } from './testing/transfer-fixtures';
import { TransferItem } from './transfer-item.entity';
import { UploadCheckpointRepository } from './upload-checkpoint.store';

describe(UploadCheckpointRepository.name, () => {
  let dataSource: DataSource;
  let sut: UploadCheckpointRepository;

  beforeAll(async () => {
    dataSource = await new DataSource(ferryDataSourceOptions(testDatabaseUrl())).initialize();
    sut = new UploadCheckpointRepository(dataSource.getRepository(TransferItem));
  });
  afterAll(() => dataSource.destroy());

  it('keeps a checkpoint on the item row across instances, and clears it', async () => {
    const owner = await insertPlatformAndUser(dataSource);
    const { items } = await insertTransfer(dataSource, owner);
    const itemId = items[0].id;
    await expect(sut.load(itemId)).resolves.toBeNull();

    const checkpoint = { blockIndex: 3, bytes: 3 * 8 * 1024 * 1024, sha256State: 'c2hh', md5State: 'bWQ1' };
    await sut.save(itemId, checkpoint);
    const anotherWorker = new UploadCheckpointRepository(dataSource.getRepository(TransferItem));
    await expect(anotherWorker.load(itemId)).resolves.toEqual(checkpoint);

    await sut.clear(itemId);
    await expect(sut.load(itemId)).resolves.toBeNull();
  });
});
