import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadConfig } from '@ferry/config';
import { startWorker } from './worker-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const worker = await startWorker(config);
  const logger = new Logger('Ferry');
  logger.log(`worker started; health on port ${config.worker.healthPort}`);
  const shutdown = (signal: string) => {
    logger.log(`${signal} received: stopping the worker`);
    worker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    new Logger('Ferry').error('The worker failed to start', error instanceof Error ? error.stack : String(error));
  }
  process.exit(1);
});
