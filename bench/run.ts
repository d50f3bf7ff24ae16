/** `npm run bench`: every benchmark under bench/, one after another, figures printed. */
import 'reflect-metadata';
import { runFilesBench } from './files/files.bench';
import { runLaunchBench } from './launch/launch.bench';
import { runTransferBench } from './transfer/transfer.bench';

const benches: Record<string, () => Promise<void>> = {
  launch: runLaunchBench,
  files: runFilesBench,
  transfer: runTransferBench,
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, run] of Object.entries(benches)) {
    if (only.length > 0 && !only.includes(name)) continue;
    await run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
