import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { batchedLines } from './json-log.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A batching destination on a new file, as `baton serve` opens stdout (4 kB before a write). */
async function logFile() {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-json-log-'));
  dirs.push(dir);
  const file = path.join(dir, 'log');
  const out = pino.destination({ dest: file, sync: false, minLength: 4096 });
  await once(out, 'ready');
  return { out, lines: batchedLines(out), written: () => readFile(file, 'utf8') };
}

describe('the batched JSON log', () => {
  it('writes nothing before a tick, and what waits at a tick', async () => {
    const { out, lines, written } = await logFile();
    lines.write('one\n');
    lines.write('two\n');
    expect(await written()).toBe('');
    lines.tick();
    await once(out, 'drain');
    expect(await written()).toBe('one\ntwo\n');
    out.end();
  });

  it('writes a line that came while a batch was being written at a later tick', async () => {
    const { out, lines, written } = await logFile();
    lines.write('first\n');
    lines.tick(); // `first` is being written
    lines.write('second\n'); // waits behind it
    lines.tick(); // the destination's flush does nothing while a write is under way
    await once(out, 'drain');
    expect(await written()).toBe('first\n');
    // Nothing else is logged: the next tick alone must write `second`.
    lines.tick();
    await once(out, 'drain');
    expect(await written()).toBe('first\nsecond\n');
    out.end();
  });

  it('does nothing at a tick when nothing waits', async () => {
    const { out, lines, written } = await logFile();
    lines.write('only\n');
    lines.tick();
    await once(out, 'drain');
    let writes = 0;
    out.on('write', () => (writes += 1));
    lines.tick();
    lines.tick();
    out.end();
    await once(out, 'finish');
    expect(writes).toBe(0);
    expect(await written()).toBe('only\n');
  });
});
