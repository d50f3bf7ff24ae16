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

describe('UploadCheckpointRepository.forAttempt', () => {
  let dataSource: DataSource;
  let repository: UploadCheckpointRepository;

  beforeAll(async () => {
    dataSource = await new DataSource(ferryDataSourceOptions(testDatabaseUrl())).initialize();
    repository = new UploadCheckpointRepository(dataSource.getRepository(TransferItem));
  });
  afterAll(() => dataSource.destroy());

  it('starts from the checkpoint read with the row, saves partial ones, skips the whole-file one, and clears what it wrote', async () => {
    const owner = await insertPlatformAndUser(dataSource);
    const earlier = { blockIndex: 1, bytes: 100, sha256State: 'YQ==', md5State: 'Yg==' };
    const { items } = await insertTransfer(dataSource, owner, [{ size: 300, checkpoint: earlier }]);
    const item = items[0];
    const sut = repository.forAttempt(item);
    await expect(sut.load(item.id)).resolves.toEqual(earlier);

    const partial = { blockIndex: 2, bytes: 200, sha256State: 'Yw==', md5State: 'ZA==' };
    await sut.save(item.id, partial);
    await expect(repository.load(item.id)).resolves.toEqual(partial);
    await sut.save(item.id, { blockIndex: 3, bytes: 300, sha256State: 'ZQ==', md5State: 'Zg==' });
    await expect(repository.load(item.id)).resolves.toEqual(partial);

    await sut.clear(item.id);
    await expect(repository.load(item.id)).resolves.toBeNull();
  });
});
