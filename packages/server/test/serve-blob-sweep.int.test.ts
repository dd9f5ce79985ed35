/**
 * Deleting a run through `baton serve` frees the large contents only it used: the server sweeps
 * the run's tenant soon after the `DELETE` (here with no grace period and no delay, so the test
 * need not wait an hour), logs what it freed, and keeps — byte for byte — what another run names.
 * On the embedded database (`$BATON_HOME/blobs`) and on PostgreSQL (a shared blob directory).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createDefaultHandlers } from '@baton/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { startServe, waitFor, type ServeHarness } from './serve-harness.js';

const THRESHOLD = 4096;

/** A workflow whose one phase prints ~60 KB saying `what`. */
function printing(id: string, what: string): string {
  return `
id: ${id}
phases:
  - id: make
    kind: tool
    run: |
      i=0
      while [ $i -lt 1500 ]; do echo "line $i: ${what}"; i=$((i+1)); done
`;
}

interface Version {
  readonly sha256: string;
  readonly size: number;
  readonly content: string;
}

describeOnBackends('baton serve: deleting a run frees what only it used', (backend) => {
  let api: ServeHarness;
  let shared: string | undefined;
  let blobs: string;
  const lines: string[] = [];

  beforeAll(async () => {
    if (backend.kind === 'postgres') shared = await mkdtemp(path.join(tmpdir(), 'baton-sweep-blobs-'));
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    api = await startServe(backend, {
      handlers: createDefaultHandlers(),
      blobThreshold: THRESHOLD,
      blobSweep: { graceMs: 0, afterDeleteMs: 0 },
      log,
      ...(shared === undefined ? {} : { blobsDir: shared }),
    });
    blobs = shared ?? path.join(api.server.home, 'blobs');
    await api.upload(printing('deleted', 'an output only the deleted run has'));
    await api.upload(printing('kept', 'an output the run that stays has'));
  });

  afterAll(async () => {
    await api?.close();
    if (shared !== undefined) await rm(shared, { recursive: true, force: true });
  });

  /** Runs `workflow` to completion; answers its run id and its output's version. */
  async function completed(workflow: string): Promise<{ id: string; version: Version }> {
    const run = await api.start(workflow);
    const done = await waitFor(async () => {
      const answer = await api.call('GET', `/api/runs/${run.id}`);
      return answer.body.status === 'running' ? undefined : answer.body;
    }, `run ${workflow} to finish`);
    expect(done.status).toBe('completed');
    const answer = await api.call('GET', `/api/runs/${run.id}/phases/make/versions/1`);
    return { id: run.id, version: answer.body as unknown as Version };
  }

  it('removes the deleted run’s blob file soon after the DELETE, logs it, and serves the other run’s as before', async () => {
    const deleted = await completed('deleted');
    const kept = await completed('kept');
    expect(deleted.version.size).toBeGreaterThan(THRESHOLD);
    expect((await readdir(path.join(blobs, 'local'))).sort()).toEqual(
      [deleted.version.sha256, kept.version.sha256].sort(),
    );

    expect((await api.call('DELETE', `/api/runs/${deleted.id}`)).status).toBe(204);

    await waitFor(async () => {
      const names = await readdir(path.join(blobs, 'local'));
      return names.includes(deleted.version.sha256) ? undefined : true;
    }, 'the deleted run’s file to be removed');
    expect(await readdir(path.join(blobs, 'local'))).toEqual([kept.version.sha256]);
    const freed = lines
      .map((line) => JSON.parse(line) as { msg: string; freed?: { files: number; fileBytes: number } })
      .find((line) => line.msg === 'freed contents no run uses any more');
    expect(freed).toMatchObject({ tenantId: 'local', freed: { files: 1, fileBytes: deleted.version.size } });

    const again = await api.get(`/api/runs/${kept.id}/phases/make/artifacts/1`);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(kept.version.content);
  });
});
