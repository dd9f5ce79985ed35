#!/usr/bin/env node
/**
 * `npm start`: builds the web UI when it has not been built yet (a fresh clone), then runs
 * `baton serve` with the arguments given (`npm start -- --port 8080`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new globalThis.URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(`${root}packages/web/dist/index.html`)) {
  process.stderr.write('The web UI is not built yet: building it (npm run build)…\n');
  run(npm, ['run', 'build']);
}
run(process.execPath, ['packages/cli/bin/baton.js', 'serve', ...process.argv.slice(2)]);
