import { Processor } from '@nestjs/bullmq';
import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { AzureStorageModule } from '@ferry/azure-storage';
import type { FerryConfig } from '@ferry/config';
import { TransferItemRepository } from '../transfer-item.repository';
import { TransfersModule } from '../transfers.module';
import { TRANSFERS_QUEUE } from '../transfers.queue';
import { TransferItemProcessor, transferWorkerOptions } from './transfer-item.processor';
import { TransferItemRunner } from './transfer-item.runner';

export interface TransfersWorkerMoodle {
  /** Modules the sessions provider needs (MoodleOauthModule). */
  imports?: ModuleMetadata['imports'];
  /** Provides MOODLE_SESSIONS: `{ provide: MOODLE_SESSIONS, useExisting: MoodleConnectionsService }`. */
  sessions: Provider;
}

/**
 * The worker's side of transfers: the queue processor. Its BullMQ options come from the
 * configuration, so the processor class is decorated here, per application, rather than once at
 * import time.
 */
@Module({})
export class TransfersWorkerModule {
  static forRoot(config: FerryConfig, moodle: TransfersWorkerMoodle): DynamicModule {
    const workerOptions = transferWorkerOptions(config);
    class ConfiguredTransferItemProcessor extends TransferItemProcessor {}
    Processor(TRANSFERS_QUEUE, workerOptions)(ConfiguredTransferItemProcessor);
    return {
      module: TransfersWorkerModule,
      imports: [TransfersModule, AzureStorageModule, ...(moodle.imports ?? [])],
      providers: [TransferItemRunner, TransferItemRepository, moodle.sessions, { provide: TransferItemProcessor, useClass: ConfiguredTransferItemProcessor }],
      exports: [TransferItemProcessor],
    };
  }
}

