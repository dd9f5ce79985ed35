/**
 * Large contents from the CLI on an embedded home: a phase's output above `BATON_BLOB_THRESHOLD`
 * is a file under `$BATON_HOME/blobs/local/<sha256>`, and `baton run` and `baton show` print it
 * as they would from the database.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const LARGE = `
id: large
phases:
  - id: make
    kind: tool
    run: |
      i=0
      while [ $i -lt 500 ]; do echo "line $i: é € 𝄞 of a large output"; i=$((i+1)); done
  - { id: small, kind: tool, run: echo small, needs: [make] }
`;

describe('large contents on an embedded home', () => {
  it('keeps an output above the threshold in $BATON_HOME/blobs and prints it unchanged', async () => {
    const file = path.join(home.dir, 'large.yaml');
    await writeFile(file, LARGE);
    const env = { BATON_BLOB_THRESHOLD: '4k' };
    const run = await baton(['run', file, '--auto', '--json'], home.dir, env);
    expect(run.code, run.stderr).toBe(0);
    const output = phaseOf(snapshot(run), 'make').output as string;
    const bytes = Buffer.from(output, 'utf8');
    expect(bytes.byteLength).toBeGreaterThan(4096);
    expect(output).toContain('line 499: é € 𝄞 of a large output');
    const blobs = path.join(home.dir, '.baton', 'blobs', 'local');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(await readdir(blobs)).toEqual([sha256]);
    expect((await readFile(path.join(blobs, sha256))).equals(bytes)).toBe(true);

    const shown = await baton(['show', snapshot(run).id, '--json'], home.dir, env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(phaseOf(snapshot(shown), 'make').output).toBe(output);
    expect(phaseOf(snapshot(shown), 'small').output).toBe('small\n');
  });

  it('refuses a threshold that is not a size', async () => {
    const result = await baton(['runs'], home.dir, { BATON_BLOB_THRESHOLD: 'big' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BATON_BLOB_THRESHOLD big');
  });
});
