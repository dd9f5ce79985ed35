import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreContract, testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import { createSqlRunStore, migrate, openPgliteDb, openPgliteStore, type Db } from '../src/index.js';
import { borrowed, sqlStoreChecks } from './sql-store-checks.js';

const T0 = 1_700_000_000_000;

// One in-memory PGlite for the file (opening one takes seconds); the contract's tests keep apart
// by run id.
let shared: Db;
let dataDir: string;

beforeAll(async () => {
  shared = await openPgliteDb();
  await migrate(shared);
  dataDir = await mkdtemp(join(tmpdir(), 'baton-pglite-'));
});

afterAll(async () => {
  await shared.close();
  await dirDb?.close();
  await rm(dataDir, { recursive: true, force: true });
});

runStoreContract('PGlite in memory', () => Promise.resolve(createSqlRunStore(borrowed(shared))));

// One data directory for the file; `reopen` really closes PGlite and opens the directory again.
let dirDb: Db | undefined;
runStoreContract(
  'PGlite data directory',
  async (options = {}) => {
    if (options.reopen === true && dirDb !== undefined) {
      await dirDb.close();
      dirDb = undefined;
    }
    if (dirDb === undefined) {
      dirDb = await openPgliteDb({ dataDir });
      await migrate(dirDb);
    }
    return createSqlRunStore(borrowed(dirDb));
  },
  { persistent: true },
);

describe('openPgliteStore', () => {
  it('opens a data directory again with everything in it', async () => {
    await dirDb?.close();
    dirDb = undefined;
    // A run of its own, left half done: a result written, the next phase claimed.
    const first = await openPgliteStore({ dataDir });
    const runId = `reopen-${randomUUID()}`;
    const workflow = testWorkflow('reopen', testPhase('a'), testPhase('b', { needs: ['a'] }));
    await first.createRun({ type: 'create', runId, workflow, fixtures: {}, inputs: {}, by: 'ana' }, T0);
    const [a] = await first.claim({ runId, limit: 1, now: T0 + 1 });
    const done = await first.apply(
      runId,
      { type: 'succeed', phaseId: 'a', attempt: 1, output: testPayload('a done') },
      T0 + 2,
      { leaseToken: a!.lease.token, claimNext: { runId, limit: 1 } },
    );
    expect(done).toMatchObject({ ok: true, claimed: [{ phaseId: 'b', attempt: 1 }] });
    const before = {
      state: await first.getRun(runId),
      events: await first.listEvents(runId),
      runs: await first.listRuns(),
      artifact: await first.getArtifact(runId, 'a', 1),
      running: await first.runningTasks({ runId }),
    };
    await first.close();

    const store = await openPgliteStore({ dataDir });
    try {
      expect(await store.listRuns()).toEqual(before.runs);
      expect(before.runs.map((run) => run.id)).toContain(runId);
      expect(await store.getRun(runId)).toEqual(before.state);
      expect(before.state?.seq).toBe(before.events.length);
      expect(await store.listEvents(runId)).toEqual(before.events);
      expect(await store.getArtifact(runId, 'a', 1)).toEqual(before.artifact);
      expect(before.artifact).toMatchObject({ content: 'a done' });
      expect(await store.runningTasks({ runId })).toEqual(before.running);
      expect(before.running.map((task) => task.phaseId)).toEqual(['b']);
    } finally {
      await store.close();
    }
  });
});

sqlStoreChecks('PGlite', async () => {
  const db = await openPgliteDb();
  await migrate(db);
  return db;
});
