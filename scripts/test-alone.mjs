#!/usr/bin/env node
/**
 * `npm run test:alone [-- --unit | --int] [filter...]`: runs every test file of the repository on
 * its own (`npx vitest run FILE`, one process after the other), so a file that passes only
 * alongside others — or only alone — shows up. Prints one line per file and a summary, and exits
 * non-zero when any file failed. Filters keep the files whose path contains one of them.
 * BATON_TEST_DATABASE_URL and the rest of the environment are passed through.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new globalThis.URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write('usage: npm run test:alone [-- --unit | --int] [path filter...]\n');
  process.exit(0);
}
const onlyUnit = args.includes('--unit');
const onlyInt = args.includes('--int');
const filters = args.filter((a) => !a.startsWith('--'));

/** Test files under `dir` (skipping node_modules), relative to the root. */
function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

const isInt = (file) => file.endsWith('.int.test.ts') || file.endsWith('.e2e.test.ts');
const files = [...testFiles(join(root, 'packages')), ...testFiles(join(root, 'eslint-rules'))]
  .filter((file) => !(onlyUnit && isInt(file)) && !(onlyInt && !isInt(file)))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  process.stderr.write('test:alone: no test file matches\n');
  process.exit(2);
}

const failed = [];
const started = Date.now();
for (const [index, file] of files.entries()) {
  const t0 = Date.now();
  const run = spawnSync('npx', ['vitest', 'run', file], { cwd: root, encoding: 'utf8', env: process.env });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const ok = run.status === 0;
  process.stdout.write(`${ok ? 'pass' : 'FAIL'}  ${file}  (${seconds} s)  [${index + 1}/${files.length}]\n`);
  if (!ok) {
    failed.push(file);
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trimEnd().split('\n');
    process.stdout.write(
      `${output
        .slice(-30)
        .map((line) => `      ${line}`)
        .join('\n')}\n`,
    );
  }
}
const total = ((Date.now() - started) / 1000).toFixed(0);
process.stdout.write(
  `\n${files.length - failed.length} of ${files.length} test files passed alone (${total} s)` +
    (failed.length > 0 ? `; failed:\n${failed.map((f) => `  ${f}`).join('\n')}\n` : '\n'),
);
process.exit(failed.length > 0 ? 1 : 0);
