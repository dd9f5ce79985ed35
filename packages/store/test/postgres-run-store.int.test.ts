import { randomBytes } from 'node:crypto';
import type { PhaseDefinition, RunStore, WorkflowDefinition } from '@baton/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreContract, testPhase } from '@baton/engine/testing';
import { loadMigrations, migrate, openPostgresDb, openPostgresStore } from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';
import { sqlStoreChecks } from './sql-store-checks.js';

/**
 * Runs against the PostgreSQL server of `BATON_TEST_DATABASE_URL` (any database on it; this file
 * creates `baton_test_<random>` databases and drops them after). Without it the file is skipped —
 * except in CI, where that is a failure.
 */

const T0 = 1_700_000_000_000;

function phase(id: string, needs: string[] = []): PhaseDefinition {
  return testPhase(id, { needs });
}

const text = { mediaType: 'text/plain', text: 'ok', size: 2, sha256: 'h' };

describeOnPostgres('PostgreSQL run store', (adminUrl) => {
  /** Creates a fresh database and returns its URL and a function that drops it. */
  const createDatabase = (): Promise<TestDatabase> => createTestDatabase(adminUrl);

  let database: TestDatabase;

  beforeAll(async () => {
    database = await createDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  runStoreContract('PostgreSQL', () => openPostgresStore({ connectionString: database.url }), {
    persistent: true,
    wakesOtherStores: true,
  });

  sqlStoreChecks('PostgreSQL', async () => {
    const db = openPostgresDb({ connectionString: database.url });
    await migrate(db);
    return db;
  });

  describe('PostgreSQL run store shared by several processes', () => {
    let stores: RunStore[] = [];

    beforeAll(async () => {
      // Four stores with their own pools and caches stand in for four processes.
      stores = await Promise.all(
        [1, 2, 3, 4].map(() => openPostgresStore({ connectionString: database.url })),
      );
    });

    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });

    it('keeps one gap-free log when two stores take turns on a run', async () => {
      const [a, b] = stores as [RunStore, RunStore];
      const wf: WorkflowDefinition = {
        id: 'turns',
        version: 1,
        phases: [phase('x'), phase('y', ['x']), phase('z', ['y'])],
      };
      const runId = `turns-${randomBytes(4).toString('hex')}`;
      await a.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [x] = await b.claim({ runId, limit: 5, now: T0 + 1 });
      expect(x?.phaseId).toBe('x');
      await a.apply(runId, { type: 'succeed', phaseId: 'x', attempt: 1, output: text }, T0 + 2);
      const [y] = await b.claim({ runId, limit: 5, now: T0 + 3 });
      expect(y?.phaseId).toBe('y');
      await a.apply(runId, { type: 'succeed', phaseId: 'y', attempt: 1, output: text }, T0 + 4);
      const [z] = await a.claim({ runId, limit: 5, now: T0 + 5 });
      const last = await b.apply(
        runId,
        { type: 'succeed', phaseId: z!.phaseId, attempt: 1, output: text },
        T0 + 6,
      );

      expect(last.ok && last.state.status).toBe('completed');
      const events = await a.listEvents(runId);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(await a.getRun(runId)).toEqual(await b.getRun(runId));
    });

    it('makes a join ready exactly once when its parents finish at once in different stores', async () => {
      const wf: WorkflowDefinition = {
        id: 'join',
        version: 1,
        phases: [phase('p1'), phase('p2'), phase('p3'), phase('p4'), phase('join', ['p1', 'p2', 'p3', 'p4'])],
      };
      for (let round = 0; round < 5; round++) {
        const runId = `join-${round}-${randomBytes(4).toString('hex')}`;
        await stores[0]!.createRun(
          { type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' },
          T0,
        );
        expect(await stores[1]!.claim({ runId, limit: 10, now: T0 + 1 })).toHaveLength(4);
        const results = await Promise.all(
          ['p1', 'p2', 'p3', 'p4'].map((phaseId, i) =>
            stores[i]!.apply(runId, { type: 'succeed', phaseId, attempt: 1, output: text }, T0 + 2),
          ),
        );
        expect(results.every((r) => r.ok && r.ignored === undefined)).toBe(true);
        const events = await stores[2]!.listEvents(runId);
        expect(events.filter((e) => e.type === 'phase_ready' && e.phaseId === 'join')).toHaveLength(1);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect((await stores[3]!.claim({ runId, limit: 10, now: T0 + 3 })).map((t) => t.phaseId)).toEqual([
          'join',
        ]);
      }
    });

    it('never deadlocks when claims race with transitions that dequeue the same tasks', async () => {
      const wf: WorkflowDefinition = {
        id: 'race',
        version: 1,
        phases: ['a', 'b', 'c', 'd', 'e'].map((id) => phase(id)),
      };
      for (let round = 0; round < 20; round++) {
        const runId = `race-${round}-${randomBytes(4).toString('hex')}`;
        await stores[0]!.createRun(
          { type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' },
          T0,
        );
        const [claimed, paused] = await Promise.all([
          stores[1]!.claim({ runId, limit: 5, now: T0 + 1 }),
          stores[2]!.apply(runId, { type: 'pause', by: 'ana' }, T0 + 1),
        ]);
        expect(paused.ok).toBe(true);
        expect((await stores[3]!.runningTasks({ runId })).length).toBe(claimed.length);
        expect(await stores[3]!.nextDue({ runId })).toBeUndefined();
        const events = await stores[3]!.listEvents(runId);
        expect(events.filter((e) => e.type === 'phase_started')).toHaveLength(claimed.length);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      }
    });

    it('hands every task to exactly one of several racing claimers', async () => {
      const wf: WorkflowDefinition = {
        id: 'wide',
        version: 1,
        phases: ['a', 'b', 'c', 'd', 'e'].map((id) => phase(id)),
      };
      const runIds = Array.from({ length: 8 }, (_, i) => `wide-${i}-${randomBytes(4).toString('hex')}`);
      for (const runId of runIds) {
        await stores[0]!.createRun(
          { type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' },
          T0,
        );
      }
      const ours = new Set(runIds);
      const claimed: string[] = [];
      // Each claimer polls until a poll finds nothing of ours; skipped (busy) runs come back later.
      await Promise.all(
        stores.map(async (store) => {
          for (let polls = 0; polls < 200; polls++) {
            const tasks = (await store.claim({ limit: 3, now: T0 + 1 })).filter((t) => ours.has(t.runId));
            claimed.push(...tasks.map((t) => `${t.runId}/${t.phaseId}#${t.attempt}`));
            if (claimed.length === runIds.length * 5) return;
          }
        }),
      );
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(runIds.length * 5);
      for (const runId of runIds) {
        const events = await stores[1]!.listEvents(runId);
        expect(events.filter((e) => e.type === 'phase_started')).toHaveLength(5);
      }
    });
  });

  describe('migrate on PostgreSQL', () => {
    it('applies each migration once when several processes start at once', async () => {
      const fresh = await createDatabase();
      const dbs = [1, 2, 3, 4].map(() => openPostgresDb({ connectionString: fresh.url }));
      try {
        const applied = await Promise.all(dbs.map((db) => migrate(db)));
        const versions = (await loadMigrations()).map((m) => m.version);
        expect(applied.flat().sort((a, b) => a - b)).toEqual(versions);
        const rows = await dbs[0]!.query<{ version: number }>(
          `SELECT version FROM baton_migrations ORDER BY version`,
        );
        expect(rows.map((row) => row.version)).toEqual(versions);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await fresh.drop();
      }
    });
  });
});
