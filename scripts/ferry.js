// `npm run ferry -- <command>`: the operator CLI. Runs the built CLI (dist/, production images)
// when there is one, and the TypeScript sources otherwise (a development checkout).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'apps', 'api', 'cli.js');
if (existsSync(built)) {
  require(built);
} else {
  require('@swc-node/register');
  require(join(__dirname, '..', 'apps', 'api', 'src', 'cli.ts'));
}
