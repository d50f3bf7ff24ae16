import type { Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { nestLogLevels, type FerryConfig } from '@ferry/config';
import { HealthService, startHealthListener } from '@ferry/health';
import { WorkerModule } from './worker.module';

export interface RunningWorker {
  context: INestApplicationContext;
  healthServer: Server | null;
  stop(): Promise<void>;
}

/** Starts the worker as production runs it. It never migrates: the api owns the schema. */
export async function startWorker(config: FerryConfig): Promise<RunningWorker> {
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: nestLogLevels(config.logLevel),
  });
  const healthServer =
    config.worker.healthPort > 0 ? await startHealthListener(context.get(HealthService), config.worker.healthPort) : null;
  return {
    context,
    healthServer,
    stop: async () => {
      await new Promise<void>((resolve) => (healthServer ? healthServer.close(() => resolve()) : resolve()));
      await context.close();
    },
  };
}
