import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadConfig } from '@ferry/config';
import { createApiApp } from './api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.port);
  new Logger('Ferry').log(`api listening on port ${config.port}, public URL ${config.publicUrl}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    new Logger('Ferry').error('The api failed to start', error instanceof Error ? error.stack : String(error));
  }
  process.exit(1);
});
