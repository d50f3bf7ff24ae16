/**
 * The benches measure what operators run: the webpack bundles `npm run build` makes, started with
 * the node options of `npm run start:api` / `start:worker`. A bundle is rebuilt only when a source
 * it may include is newer (some 8 s an app).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

export type FerryApp = 'api' | 'worker';

const root = join(__dirname, '..', '..');
const SHARED_INPUTS = ['libs', 'package-lock.json', 'nest-cli.json', 'tsconfig.base.json'];
const NOT_BUILT = /\.(spec|int-spec|e2e-spec)\.ts$|\/testing\//;

export const bundleOf = (app: FerryApp) => join(root, `dist/apps/${app}/main.js`);

function newestSourceMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return NOT_BUILT.test(path) ? 0 : stat.mtimeMs;
  // A directory's own time changes when a file in it is added, renamed or deleted.
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestSourceMtime(join(path, entry)));
  }
  return newest;
}

/** Builds dist/apps/<app>/main.js when it is missing or older than any source it may bundle. */
export function ensureProductionBuild(app: FerryApp): void {
  const bundle = bundleOf(app);
  const inputs = [`apps/${app}/src`, `apps/${app}/tsconfig.app.json`, ...SHARED_INPUTS];
  const sources = Math.max(...inputs.map((input) => newestSourceMtime(join(root, input))));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  process.stderr.write(`bench: building the ${app} (nest build ${app})\n`);
  const build = spawnSync(process.execPath, [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', app], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`nest build ${app} failed:\n${build.stdout}${build.stderr}`);
  // webpack leaves a bundle whose content did not change untouched: mark it as built now.
  const now = new Date();
  utimesSync(bundle, now, now);
}

/** The node options `npm run start:<app>` (and docker-compose.yml) run the app with. */
export function startNodeOptions(app: FerryApp): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return scripts[`start:${app}`].split(' ').filter((part) => part.startsWith('--'));
}
