// Test support: the worker's transfer processor as apps/worker composes it, with a chosen Moodle session source.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule, type FerryConfig } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { ferryDataSourceOptions } from '@ferry/database';
import { RedisModule } from '@ferry/redis';
import { MOODLE_SESSIONS, type MoodleSessionSource } from '../jobs/moodle-session-source';
import { TransferItemProcessor } from '../jobs/transfer-item.processor';
import { TransfersWorkerModule } from '../jobs/transfers-worker.module';

export interface TransfersWorkerApp {
  context: INestApplicationContext;
  processor: TransferItemProcessor;
  close(): Promise<void>;
}

export async function startTransfersWorkerApp(config: FerryConfig, sessions: MoodleSessionSource): Promise<TransfersWorkerApp> {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      TypeOrmModule.forRoot(ferryDataSourceOptions(config.database.url)),
      RedisModule,
      CryptoModule,
      TransfersWorkerModule.forRoot(config, { sessions: { provide: MOODLE_SESSIONS, useValue: sessions } }),
    ],
  })
  class TestWorkerModule {}
  const context = await NestFactory.createApplicationContext(TestWorkerModule, { logger: false });
  await context.init();
  return { context, processor: context.get(TransferItemProcessor), close: () => context.close() };
}
