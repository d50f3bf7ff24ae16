import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AzureStorageModule } from '@ferry/azure-storage';
import { FerryConfig } from '@ferry/config';
import { TransferCancelPublisher } from './transfer-cancel.bus';
import { TransferEvent } from './transfer-event.entity';
import { TransferItem } from './transfer-item.entity';
import { TransferJobs } from './transfer-jobs.service';
import { TransferJournal } from './transfer-journal.service';
import { TransferSettlement } from './transfer-settlement.service';
import { Transfer } from './transfer.entity';
import { TransfersService } from './transfers.service';
import { bullConnectionFor, TRANSFERS_QUEUE } from './transfers.queue';
import { UploadCheckpointRepository } from './upload-checkpoint.store';

/** Transfers' entities, the "transfers" queue and the services both the api and the worker use. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Transfer, TransferItem, TransferEvent]),
    BullModule.registerQueueAsync({
      name: TRANSFERS_QUEUE,
      inject: [FerryConfig],
      useFactory: (config: FerryConfig) => ({ connection: bullConnectionFor(config.redis.url) }),
    }),
    AzureStorageModule,
  ],
  providers: [TransferJournal, TransferSettlement, TransferJobs, TransferCancelPublisher, TransfersService, UploadCheckpointRepository],
  exports: [
    TypeOrmModule,
    BullModule,
    AzureStorageModule,
    TransferJournal,
    TransferSettlement,
    TransferJobs,
    TransfersService,
    UploadCheckpointRepository,
  ],
})
export class TransfersModule {}
