/**
 * Checks of the SQL store beyond the `RunStore` contract — the projections, the migrator and the
 * schema's guards — run against each driver.
 */
import { testJsonPayload, testPayload, testPhase } from '@baton/engine/testing';
import {
  validateWorkflow,
  type PhaseDefinition,
  type RunStore,
  type WorkflowDefinition,
} from '@baton/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSqlRunStore,
  loadMigrations,
  migrate,
  StoreError,
  type Db,
  type StoreFallback,
} from '../src/index.js';

const T0 = 1_700_000_000_000;

function phase(id: string, needs: string[] = []): PhaseDefinition {
  return testPhase(id, { needs });
}

const wf: WorkflowDefinition = {
  id: 'checks',
  version: 3,
  phases: [phase('a'), phase('b', ['a']), phase('c')],
};

/** A view of a database whose `close` leaves it open, for stores sharing one database. */
export function borrowed(db: Db): Db {
  return { ...db, close: () => Promise.resolve() };
}

/** Defines the checks; `openDb` gives a migrated database the suite may write to and closes after. */
export function sqlStoreChecks(name: string, openDb: () => Promise<Db>): void {
  describe(`SQL store: ${name}`, () => {
    let db: Db;
    let store: RunStore;
    let counter = 0;
    const newRunId = () => `checks-${Date.now().toString(36)}-${++counter}`;

    beforeAll(async () => {
      db = await openDb();
      store = createSqlRunStore(borrowed(db));
    });

    afterAll(async () => {
      await db.close();
    });

    it('keeps the runs row and the phases projection in step with the folded state', async () => {
      const runId = newRunId();
      await store.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      await store.claim({ runId, limit: 1, now: T0 + 1 });
      await store.apply(
        runId,
        {
          type: 'succeed',
          phaseId: 'a',
          attempt: 1,
          output: { mediaType: 'text/plain', text: 'x', size: 1, sha256: 'h' },
        },
        T0 + 2,
      );
      await store.apply(runId, { type: 'pause', by: 'ana' }, T0 + 3);

      const state = (await store.getRun(runId))!;
      const [run] = await db.query<Record<string, unknown>>(
        `SELECT workflow_id, workflow_version, status, last_seq, created_by,
                round(extract(epoch FROM created_at) * 1000)::float8 AS created_at,
                round(extract(epoch FROM updated_at) * 1000)::float8 AS updated_at
           FROM runs WHERE id = $1`,
        [runId],
      );
      expect(run).toEqual({
        workflow_id: 'checks',
        workflow_version: 3,
        status: 'paused',
        last_seq: state.seq,
        created_by: 'ana',
        created_at: T0,
        updated_at: T0 + 3,
      });
      const phases = await db.query<{ phase_id: string; status: string; attempt: number }>(
        `SELECT phase_id, status, attempt FROM phases WHERE run_id = $1 ORDER BY phase_id`,
        [runId],
      );
      expect(phases).toEqual(
        state.order
          .map((id) => ({
            phase_id: id,
            status: state.phases[id]!.status,
            attempt: state.phases[id]!.attempt,
          }))
          .sort((x, y) => x.phase_id.localeCompare(y.phase_id)),
      );
      const tasks = await db.query<{ phase_id: string; attempt: number; status: string }>(
        `SELECT phase_id, attempt, status FROM tasks WHERE run_id = $1 ORDER BY phase_id`,
        [runId],
      );
      // b and c were queued, then dequeued by the pause; a finished.
      expect(tasks).toEqual([{ phase_id: 'a', attempt: 1, status: 'done' }]);
    });

    it("queues a map's attempts as map tasks and keeps its instances in the phases projection", async () => {
      const runId = newRunId();
      const parsed = validateWorkflow({
        id: 'checks',
        phases: [
          { id: 'plan', kind: 'tool', run: 'plan' },
          { id: 'each', kind: 'map', over: 'plan', phase: { kind: 'tool', run: 'work' } },
        ],
      });
      if (!parsed.ok) throw new Error('invalid test workflow');
      await store.createRun(
        { type: 'create', runId, workflow: parsed.workflow, fixtures: {}, inputs: {}, by: 'ana' },
        T0,
      );
      const items = testJsonPayload(['x', 'y']);
      let now = T0;
      const finish = async (phaseId: string, output = testPayload(`${phaseId}-out`)) => {
        const [task] = await store.claim({ runId, limit: 1, now: ++now });
        expect(task?.phaseId).toBe(phaseId);
        await store.apply(runId, { type: 'succeed', phaseId, attempt: task!.attempt, output }, ++now);
        return task!;
      };
      await finish('plan', items);
      expect((await finish('each', items)).kind).toBe('map');
      await finish('each[0]');
      await finish('each[1]');
      expect((await finish('each', testJsonPayload(['each[0]-out', 'each[1]-out']))).kind).toBe('map');

      const state = (await store.getRun(runId))!;
      expect(state.status).toBe('completed');
      const phases = await db.query<{ phase_id: string; status: string; attempt: number }>(
        `SELECT phase_id, status, attempt FROM phases WHERE run_id = $1 ORDER BY phase_id`,
        [runId],
      );
      expect(phases).toEqual([
        { phase_id: 'each', status: 'completed', attempt: 2 },
        { phase_id: 'each[0]', status: 'completed', attempt: 1 },
        { phase_id: 'each[1]', status: 'completed', attempt: 1 },
        { phase_id: 'plan', status: 'completed', attempt: 1 },
      ]);
      const tasks = await db.query<{ phase_id: string; attempt: number; kind: string }>(
        `SELECT phase_id, attempt, kind FROM tasks WHERE run_id = $1 ORDER BY id`,
        [runId],
      );
      expect(tasks.map((t) => `${t.phase_id}#${t.attempt}:${t.kind}`)).toEqual([
        'plan#1:tool',
        'each#1:map',
        'each[0]#1:tool',
        'each[1]#1:tool',
        'each#2:map',
      ]);
    });

    it('refuses to rewrite an event, and a status the schema does not know', async () => {
      const runId = newRunId();
      await store.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const rewrite = db.query(`UPDATE events SET type = 'x' WHERE run_id = $1`, [runId]);
      await expect(rewrite).rejects.toMatchObject({ code: 'STORAGE_ERROR', retryable: false });
      await expect(rewrite).rejects.toThrow(/append-only/);
      await expect(
        db.query(`UPDATE phases SET status = 'done' WHERE run_id = $1`, [runId]),
      ).rejects.toMatchObject({
        code: 'STORAGE_ERROR',
        retryable: false,
      });
      await expect(
        db.query(`UPDATE runs SET status = 'sleeping' WHERE id = $1`, [runId]),
      ).rejects.toMatchObject({
        code: 'STORAGE_ERROR',
      });
    });

    it("writes a result with the claims of its run's due tasks in one statement outside any transaction", async () => {
      const runId = newRunId();
      const statements: string[] = [];
      let transactions = 0;
      const recording: Db = {
        ...borrowed(db),
        query: (sql, params) => {
          statements.push(sql);
          return db.query(sql, params);
        },
        transaction: (fn) => {
          transactions += 1;
          return db.transaction(fn);
        },
      };
      const own = createSqlRunStore(recording);
      await own.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [a] = await own.claim({ runId, limit: 1, now: T0 + 1 });
      expect(a?.phaseId).toBe('a');
      statements.length = 0;
      transactions = 0;
      const done = await own.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 1, output: testPayload('x') },
        T0 + 2,
        { leaseToken: a!.lease.token, claimNext: { runId, limit: 2, workerId: 'w1' } },
      );
      expect(statements).toHaveLength(1);
      expect(transactions).toBe(0);
      if (!done.ok) throw new Error(done.error.message);
      // c was queued first (at T0), b by this result: the oldest first.
      expect(done.claimed?.map((task) => [task.phaseId, task.runAt])).toEqual([
        ['c', T0],
        ['b', T0 + 2],
      ]);
      const tasks = await db.query<{
        phase_id: string;
        status: string;
        lease_token: string | null;
        worker_id: string | null;
      }>(`SELECT phase_id, status, lease_token, worker_id FROM tasks WHERE run_id = $1 ORDER BY phase_id`, [
        runId,
      ]);
      const token = (id: string) => done.claimed!.find((task) => task.phaseId === id)!.lease.token;
      expect(tasks).toEqual([
        { phase_id: 'a', status: 'done', lease_token: a!.lease.token, worker_id: null },
        { phase_id: 'b', status: 'running', lease_token: token('b'), worker_id: 'w1' },
        { phase_id: 'c', status: 'running', lease_token: token('c'), worker_id: 'w1' },
      ]);
      // The log is what the state says, without a gap; the artifact is stored.
      const last = done.claimed!.at(-1)!.state;
      const events = await own.listEvents(runId);
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: last.seq }, (_, i) => i + 1));
      expect((await store.getRun(runId))?.phases).toEqual(last.phases);
      expect(await store.getArtifact(runId, 'a', 1)).toMatchObject({ content: 'x' });
    });

    it('decides again on the newer state when another store moved the run after this one cached it', async () => {
      const runId = newRunId();
      const other = createSqlRunStore(borrowed(db));
      await store.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
      // Another process pauses the run; this store's cached state still says running.
      const paused = await other.apply(runId, { type: 'pause', by: 'bo' }, T0 + 2);
      expect(paused.ok && paused.state.status).toBe('paused');
      const done = await store.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 1, output: testPayload('x') },
        T0 + 3,
        { leaseToken: a!.lease.token, claimNext: { runId, limit: 2 } },
      );
      if (!done.ok) throw new Error(done.error.message);
      // Decided on the cached state it would have claimed b and c; the paused run starts nothing.
      expect(done.claimed).toEqual([]);
      expect(done.state.status).toBe('paused');
      expect(done.state.phases.a?.status).toBe('completed');
      const events = await store.listEvents(runId);
      expect(events.map((event) => event.seq)).toEqual(
        Array.from({ length: done.state.seq }, (_, i) => i + 1),
      );
      expect(events.filter((event) => event.type === 'run_paused')).toHaveLength(1);
      expect(await db.query(`SELECT 1 FROM tasks WHERE run_id = $1 AND status <> 'done'`, [runId])).toEqual(
        [],
      );
    });

    it('falls back to the locked path, counted and logged, when the one statement fails or its answer is lost after it committed', async () => {
      let fault: 'before' | 'after' | undefined;
      const fired: string[] = [];
      const faulty: Db = {
        ...borrowed(db),
        query: async (sql, params) => {
          const which = sql.includes('WITH moved AS') ? fault : undefined;
          if (which === undefined) return db.query(sql, params);
          fault = undefined;
          fired.push(which);
          if (which === 'after') await db.query(sql, params);
          // What the drivers throw for a lost connection (`storage-error.ts`).
          throw new StoreError(
            'STORAGE_ERROR',
            `the store failed to run a query: connection lost ${which} the write`,
          );
        },
      };
      const fallbacks: StoreFallback[] = [];
      const logged: string[] = [];
      const own = createSqlRunStore(faulty, {
        onFallback: (fallback) => fallbacks.push(fallback),
        log: (line) => logged.push(line),
      });
      const runId = newRunId();
      await own.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [a, c] = await own.claim({ runId, limit: 2, now: T0 + 1 });
      fault = 'before';
      const doneA = await own.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 1, output: testPayload('x') },
        T0 + 2,
        { leaseToken: a!.lease.token },
      );
      expect(fired).toEqual(['before']);
      expect(doneA.ok && doneA.ignored).toBe(undefined);
      expect(doneA.ok && doneA.state.phases.a?.status).toBe('completed');
      fault = 'after';
      const doneC = await own.apply(
        runId,
        { type: 'succeed', phaseId: 'c', attempt: 1, output: testPayload('y') },
        T0 + 3,
        { leaseToken: c!.lease.token },
      );
      expect(fired).toEqual(['before', 'after']);
      // Written once (by the statement whose answer was lost); the locked path sees it done.
      expect(doneC).toMatchObject({
        ok: true,
        ignored: 'attempt 1 of "c" already has its result; duplicate ignored',
      });
      const state = (await store.getRun(runId))!;
      expect(state.phases.c?.status).toBe('completed');
      const events = await store.listEvents(runId);
      expect(
        events.filter((e) => e.type === 'phase_completed').map((e) => 'phaseId' in e && e.phaseId),
      ).toEqual(['a', 'c']);
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: state.seq }, (_, i) => i + 1));
      // Each fallback counted once and logged once, saying which run and why.
      expect(fallbacks.map((f) => [f.runId, f.error.code, f.error.message])).toEqual([
        [runId, 'STORAGE_ERROR', 'the store failed to run a query: connection lost before the write'],
        [runId, 'STORAGE_ERROR', 'the store failed to run a query: connection lost after the write'],
      ]);
      expect(logged).toHaveLength(2);
      expect(logged[0]).toContain(`run "${runId}"`);
      expect(logged[0]).toContain('connection lost before the write');
      expect(logged[1]).toContain('connection lost after the write');
    });

    it('lets a programming error of the one statement reach the caller instead of falling back', async () => {
      let armed = false;
      let fired = 0;
      const buggy: Db = {
        ...borrowed(db),
        query: async (sql, params) => {
          if (!armed || !sql.includes('WITH moved AS')) return db.query(sql, params);
          armed = false;
          fired += 1;
          throw new TypeError("Cannot read properties of undefined (reading 'seq')");
        },
      };
      const fallbacks: StoreFallback[] = [];
      const logged: string[] = [];
      const own = createSqlRunStore(buggy, {
        onFallback: (fallback) => fallbacks.push(fallback),
        log: (line) => logged.push(line),
      });
      const runId = newRunId();
      await own.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [a] = await own.claim({ runId, limit: 1, now: T0 + 1 });
      armed = true;
      const input = { type: 'succeed', phaseId: 'a', attempt: 1, output: testPayload('x') } as const;
      await expect(own.apply(runId, input, T0 + 2, { leaseToken: a!.lease.token })).rejects.toThrow(
        TypeError,
      );
      expect(fired).toBe(1);
      expect(fallbacks).toEqual([]);
      expect(logged).toEqual([]);
      // Nothing was written, and the run's queue carries on: the same result is applied next time.
      expect((await store.getRun(runId))?.phases.a?.status).toBe('running');
      const again = await own.apply(runId, input, T0 + 3, { leaseToken: a!.lease.token });
      expect(again).toMatchObject({ ok: true, state: { phases: { a: { status: 'completed' } } } });
      expect(again.ok && again.ignored).toBe(undefined);
    });

    it("writes the run's tenant on every row of it, through both write paths, and projects its title", async () => {
      const tenant = `checks-tenant-${Date.now().toString(36)}-${++counter}`;
      const statements: string[] = [];
      const recording: Db = {
        ...borrowed(db),
        query: (sql, params) => {
          statements.push(sql);
          return db.query(sql, params);
        },
      };
      const root = createSqlRunStore(recording);
      await root.ensureTenant({ id: tenant, name: 'Checks' }, T0);
      const view = root.forTenant(tenant);
      const runId = newRunId();
      const file = testPayload('shared file\n');
      await view.createRun(
        { type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana', title: 'Checked' },
        T0,
      );
      const [a] = await view.claim({ limit: 1, now: T0 + 1 });
      // The one-statement path (the run is cached), claiming b in the same statement.
      statements.length = 0;
      const done = await view.apply(
        runId,
        {
          type: 'succeed',
          phaseId: 'a',
          attempt: 1,
          output: {
            ...testPayload('{}'),
            files: [{ sha256: file.sha256, size: file.size, text: file.text }],
          },
        },
        T0 + 2,
        { leaseToken: a!.lease.token, claimNext: { runId, limit: 1 } },
      );
      expect(done).toMatchObject({ ok: true, claimed: [{ runId, tenantId: tenant }] });
      expect(statements).toHaveLength(1);
      // The locked path (a fresh store has nothing cached).
      const fresh = createSqlRunStore(borrowed(db)).forTenant(tenant);
      expect(
        await fresh.apply(runId, { type: 'set_title', title: 'Renamed', by: 'bo', source: 'output' }, T0 + 3),
      ).toMatchObject({
        ok: true,
        ignored: "a person titled the run; an output's title does not replace it",
      });
      expect(
        await fresh.apply(runId, { type: 'set_title', title: 'Renamed', by: 'bo' }, T0 + 4),
      ).toMatchObject({
        ok: true,
      });
      await view.recordModelCall({
        runId,
        phaseId: 'a',
        attempt: 1,
        agent: 'w',
        provider: 'p',
        model: 'm',
        inputTokens: 1,
        outputTokens: 1,
        cachedTokens: 0,
        costUsd: null,
        latencyMs: 1,
        status: 'ok',
        at: T0 + 5,
      });
      for (const table of ['runs', 'events', 'phases', 'tasks', 'artifacts', 'model_calls']) {
        const column = table === 'runs' ? 'id' : 'run_id';
        const rows = await db.query<{ tenant_id: string }>(
          `SELECT DISTINCT tenant_id FROM ${table} WHERE ${column} = $1`,
          [runId],
        );
        expect({ table, tenants: rows.map((row) => row.tenant_id) }).toEqual({ table, tenants: [tenant] });
      }
      expect(await db.query(`SELECT tenant_id FROM blobs WHERE sha256 = $1`, [file.sha256])).toEqual([
        { tenant_id: tenant },
      ]);
      expect(await db.query(`SELECT title, title_set_by_person FROM runs WHERE id = $1`, [runId])).toEqual([
        { title: 'Renamed', title_set_by_person: true },
      ]);
    });

    it('records every migration once and does nothing when run again', async () => {
      expect(await migrate(db)).toEqual([]);
      const versions = await db.query<{ version: number }>(
        `SELECT version FROM baton_migrations ORDER BY version`,
      );
      expect(versions.map((row) => row.version)).toEqual((await loadMigrations()).map((m) => m.version));
    });

    it('refuses a database a newer Baton migrated, though none of its own migrations is missing', async () => {
      await db.query(`INSERT INTO baton_migrations (version, name) VALUES (9998, 'from-the-future')`);
      try {
        await expect(migrate(db)).rejects.toThrow(/has schema version 9998 .*; upgrade Baton/);
      } finally {
        await db.query(`DELETE FROM baton_migrations WHERE version = 9998`);
      }
    });

    it('commits nothing of a transaction that throws', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO baton_migrations (version, name) VALUES (9999, 'probe')`);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await db.query(`SELECT version FROM baton_migrations WHERE version = 9999`)).toEqual([]);
    });
  });
}
