/**
 * A tool phase runs in its own process group, which outlives a `kill -9` of the `baton` driving it
 * (the group is reparented to init). Recovering the lost attempt — at once on the embedded store,
 * after the lease expires on PostgreSQL — must stop that group before the phase runs again.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, describeOnPostgres } from '@baton/store/testing';
import {
  PER_COMMAND_MS,
  baton,
  finished,
  isGone,
  phaseOf,
  pidIn,
  recordedAttempts,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
} from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

async function killedMidPhase(db: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const childPid = path.join(home.dir, 'child.pid');
  const file = path.join(home.dir, 'spawner.yaml');
  await writeFile(
    file,
    [
      'id: spawner',
      'phases:',
      '  - id: serve',
      '    kind: tool',
      '    run: |',
      `      if [ "$BATON_ATTEMPT" = 1 ]; then sleep 1000 & echo $! > "${childPid}"; wait; fi`,
      '      echo "served by attempt $BATON_ATTEMPT"',
      '',
    ].join('\n'),
  );
  const child = startBaton(['run', file, ...db], home.dir, env);
  const done = finished(child);
  const pid = await waitFor(() => pidIn(childPid), {
    what: "the tool's background child",
    whileRunning: child,
  });
  // baton records the group right after starting it; a kill before that leaves it unrecorded.
  const records = path.join(home.dir, '.baton', 'attempts');
  await waitFor(async () => (await recordedAttempts(home.dir)) > 0, {
    what: "baton's record of the tool's process group",
    whileRunning: child,
  });
  child.kill('SIGKILL');
  expect((await done).signal).toBe('SIGKILL');
  // The driver is gone; what its attempt started is not.
  expect(isGone(pid)).toBe(false);

  const runs = JSON.parse((await baton(['runs', '--json', ...db], home.dir)).stdout) as { id: string }[];
  const runId = runs[0]!.id;
  const resumed = await baton(['resume', runId, '--json', ...db], home.dir, env);
  expect(resumed.code, resumed.stderr).toBe(0);
  // Stopped before the new attempt ran; init may take a moment to reap it.
  await waitFor(() => isGone(pid), { what: `the abandoned attempt's child (pid ${pid}) to be gone` });

  const snap = snapshot(await baton(['show', runId, '--json', '--events', ...db], home.dir));
  expect(phaseOf(snap, 'serve')).toMatchObject({
    status: 'completed',
    attempts: 2,
    output: 'served by attempt 2\n',
  });
  expect(snap.events!.filter((e) => e.type === 'phase_failed')).toMatchObject([
    { phaseId: 'serve', attempt: 1, abandoned: 'lost' },
  ]);
  // The record of attempt 1's processes is gone with them; attempt 2 removed its own.
  expect(await readdir(records)).toEqual([]);
}

/** run, runs, resume, show — and the wait for the lease on PostgreSQL. */
const BUDGET_MS = 5 * PER_COMMAND_MS;

describe('recovering an attempt whose baton was killed with SIGKILL', { timeout: BUDGET_MS }, () => {
  it('stops the process group the tool left running (embedded store), then runs a new attempt', async () => {
    await killedMidPhase([], {});
  });

  describeOnPostgres('on PostgreSQL', (adminUrl) => {
    it('stops the process group once the lease expired, then runs a new attempt', async () => {
      const database = await createTestDatabase(adminUrl, 'baton_abandoned');
      try {
        await killedMidPhase(['--database-url', database.url], { BATON_LEASE_MS: '1500' });
      } finally {
        await database.drop();
      }
    });
  });
});
