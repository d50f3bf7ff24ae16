// `npm test`: builds the SPA (the browser tests load it), runs every vitest project (unit,
// integration, e2e, web) and ends with the plain line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const results = join(root, 'test-results', 'vitest.json');
const extraArgs = process.argv.slice(2);
// Package bin files are not always in a package's "exports", so point at them on disk.
const bin = (path) => join(root, 'node_modules', path);

if (!process.env.FERRY_SKIP_WEB_BUILD) {
  const build = spawnSync(process.execPath, [bin('vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
}

// SWC strips types without checking them, so the type check is a suite of its own.
const typecheck = spawnSync(process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
const webTypecheck = spawnSync(process.execPath, [bin('typescript/bin/tsc'), '-p', 'apps/web/tsconfig.json'], { cwd: root, stdio: 'inherit' });
const typeErrors = [typecheck, webTypecheck].filter((check) => check.status !== 0).length;

rmSync(results, { force: true });
const run = spawnSync(
  process.execPath,
  [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...extraArgs],
  { cwd: root, stdio: 'inherit' },
);

let passed = 2 - typeErrors;
let failed = typeErrors;
let skipped = 0;
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests to count; count it as a failure so it cannot hide.
  failed += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
} else {
  failed += 1;
}
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
