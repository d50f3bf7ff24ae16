// Test support: a transfer worker in its own process, so a test can kill it with SIGKILL or SIGTERM.
// Configuration from the environment, as production; the Moodle token from FERRY_TEST_MOODLE_URL/TOKEN.
import 'reflect-metadata';
import { loadConfig } from '@ferry/config';
import { StaticTokenSessions } from './emulator-moodle';
import { startTransfersWorkerApp } from './transfers-worker-app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const worker = await startTransfersWorkerApp(config, new StaticTokenSessions(process.env.FERRY_TEST_MOODLE_URL ?? '', process.env.FERRY_TEST_MOODLE_TOKEN ?? ''));
  process.once('SIGTERM', () => {
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
