/**
 * The blob sweep's schedule, on a database that fails: every failure is logged at warn, the next
 * interval sweeps again, and `stop` ends it. (What a sweep frees is checked on real databases:
 * `@baton/store`'s blob-sweep checks, and `test/serve-blob-sweep.int.test.ts` through `baton serve`.)
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Queryable } from '@baton/store';
import { createInMemoryBlobStore } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../testing/index.js';
import { startBlobSweep } from './blob-sweep.js';

/** Polls `check` until it holds; fails after a minute. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the blob sweep of baton serve', () => {
  it('logs a failed sweep, of every tenant or of one after a deletion, and sweeps again', async () => {
    let calls = 0;
    const failing: Queryable = {
      query: () => {
        calls += 1;
        return Promise.reject(new Error('connection refused'));
      },
      exec: () => Promise.reject(new Error('connection refused')),
    };
    const lines: { msg: string; tenantId?: string; err?: { message: string } }[] = [];
    const log = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
          done();
        },
      }),
    );
    const sweep = startBlobSweep({
      db: failing,
      blobs: { store: createInMemoryBlobStore() },
      log,
      clock: manualClock(),
      intervalMs: 1,
      afterDeleteMs: 0,
    });
    try {
      sweep.runDeleted('acme');
      await until(() => calls >= 3 && lines.some((line) => line.tenantId === 'acme'), 'three sweeps');
    } finally {
      await sweep.stop();
    }
    const after = calls;
    sweep.runDeleted('acme');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(after);
    expect(lines[0]).toMatchObject({
      msg: 'the blob sweep failed; it runs again at the next interval',
      err: { message: 'connection refused' },
    });
    expect(lines.find((line) => line.tenantId === 'acme')).toMatchObject({
      msg: 'the blob sweep failed; it runs again at the next interval',
    });
  });
});
