#!/usr/bin/env node
/**
 * Part of `npm run lint`: no source file over 400 lines unless its header says why. Every
 * `packages/<name>/src/**.ts` (or `.tsx`) that is not a test (`*.test.ts`, `*.int.test.ts`,
 * `*.test-support.ts`) — contract suites under `src/testing/` count as source — and is longer than
 * 400 lines must carry, in its first comment block, a line with `Over 400 lines because:` and the
 * reason. Exits non-zero and lists the files that do not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const LIMIT = 400;
const MARKER = /Over 400 lines because:\s*\S/;
const root = fileURLToPath(new globalThis.URL('..', import.meta.url));

/** TypeScript source files under `dir`, tests left out. */
function sources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.ts$|\.test-support\.ts$/.test(entry.name))
      found.push(path);
  }
  return found;
}

/** The file's first comment block (`/** … *\/`, `/* … *\/` or a run of `//` lines), or ''. */
function header(text) {
  const body = text.replace(/^#!.*\n/, '').trimStart();
  if (body.startsWith('/*')) return body.slice(0, body.indexOf('*/') + 2);
  const lines = [];
  for (const line of body.split('\n')) {
    if (!line.trimStart().startsWith('//')) break;
    lines.push(line);
  }
  return lines.join('\n');
}

const packages = join(root, 'packages');
const offenders = [];
for (const name of readdirSync(packages)) {
  let files;
  try {
    files = sources(join(packages, name, 'src'));
  } catch {
    continue; // a package without src/
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > LIMIT && !MARKER.test(header(text)))
      offenders.push(`${relative(root, file)} (${lines} lines)`);
  }
}
if (offenders.length > 0) {
  process.stderr.write(
    `Source files over ${LIMIT} lines without a reason (split them, or say why in the first comment ` +
      `block with a line "Over 400 lines because: …"; see docs/testing.md):\n` +
      offenders.map((o) => `  ${o}\n`).join(''),
  );
  process.exit(1);
}
