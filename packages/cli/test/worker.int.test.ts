/**
 * `baton worker` on PostgreSQL: workers in other processes execute detached runs; a worker killed
 * with SIGKILL mid-phase loses its task when the lease expires, and another worker runs it again
 * as a new attempt.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, describeOnPostgres } from '@baton/store/testing';
import {
  baton,
  finished,
  PER_COMMAND_MS,
  phaseOf,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
  type Snapshot,
} from './cli-harness.js';

const LEASE = { BATON_LEASE_MS: '1500' };

let home: Awaited<ReturnType<typeof tempHome>>;

async function waitForStatus(
  runId: string,
  db: string,
  status: string,
  timeoutMs: number,
): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snap = snapshot(await baton(['show', runId, '--json', '--events', '--database-url', db], home.dir));
    if (snap.status === status || Date.now() > deadline) return snap;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describeOnPostgres('baton worker on PostgreSQL', (adminUrl) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeEach(async () => {
    home = await tempHome();
    database = await createTestDatabase(adminUrl, 'baton_worker');
  });
  afterEach(async () => {
    await database.drop();
    await home.cleanup();
  });

  it('runs the phase again as a new attempt on another worker when a worker dies mid-phase', async () => {
    const db = database.url;
    const marker = path.join(home.dir, 'started');
    const file = path.join(home.dir, 'slow.yaml');
    await writeFile(
      file,
      [
        'id: slow',
        'phases:',
        '  - id: nap',
        '    kind: tool',
        '    run: |',
        `      if [ "$BATON_ATTEMPT" = 1 ]; then touch "${marker}"; sleep 30; fi`,
        '      echo "done by attempt $BATON_ATTEMPT"',
        '  - id: after',
        '    kind: tool',
        '    needs: [nap]',
        '    run: cat "$BATON_INPUTS_DIR/nap"',
        '',
      ].join('\n'),
    );
    const first = startBaton(['worker', '--database-url', db], home.dir, LEASE);
    const firstDone = finished(first);
    const created = await baton(['run', file, '--detach', '--json', '--database-url', db], home.dir);
    expect(created.code, created.stderr).toBe(0);
    const runId = (JSON.parse(created.stdout) as { id: string }).id;

    await waitFor(() => existsSync(marker), { what: 'attempt 1 to start', whileRunning: first });
    first.kill('SIGKILL');
    expect((await firstDone).signal).toBe('SIGKILL');

    const second = startBaton(['worker', '--database-url', db], home.dir, LEASE);
    const secondDone = finished(second);
    // The lease expires, the second worker recovers the attempt and runs the rest: a few commands.
    const snap = await waitForStatus(runId, db, 'completed', 2 * PER_COMMAND_MS);
    second.kill('SIGTERM');
    const stopped = await secondDone;
    expect(stopped.code, stopped.stderr).toBe(0);

    expect(snap.status).toBe('completed');
    expect(phaseOf(snap, 'nap')).toMatchObject({
      status: 'completed',
      attempts: 2,
      output: 'done by attempt 2\n',
    });
    expect(phaseOf(snap, 'after').output).toBe('done by attempt 2\n');
    const events = snap.events!;
    expect(events.filter((e) => e.type === 'phase_failed')).toMatchObject([
      { phaseId: 'nap', attempt: 1, abandoned: 'lost' },
    ]);
    expect(events.filter((e) => e.type === 'phase_completed' && e.phaseId === 'nap')).toHaveLength(1);
  });

  it('finishes its running phase on SIGTERM before it exits', async () => {
    const db = database.url;
    const marker = path.join(home.dir, 'started');
    const release = path.join(home.dir, 'release');
    const file = path.join(home.dir, 'short.yaml');
    // The phase runs until the test releases it, after the SIGTERM: the worker must wait for it.
    await writeFile(
      file,
      `id: short\nphases:\n  - { id: nap, kind: tool, run: 'touch "${marker}"; while [ ! -e "${release}" ]; do sleep 0.05; done; echo rested' }\n`,
    );
    const worker = startBaton(['worker', '--database-url', db, '--grace', '60s'], home.dir, LEASE);
    const done = finished(worker);
    const created = await baton(['run', file, '--detach', '--json', '--database-url', db], home.dir);
    const runId = (JSON.parse(created.stdout) as { id: string }).id;
    await waitFor(() => existsSync(marker), { what: 'the phase to start', whileRunning: worker });
    worker.kill('SIGTERM');
    await writeFile(release, '');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(await baton(['show', runId, '--json', '--database-url', db], home.dir));
    expect(phaseOf(snap, 'nap')).toMatchObject({ status: 'completed', attempts: 1, output: 'rested\n' });
  });
});
