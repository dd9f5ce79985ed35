/**
 * The task queue on PostgreSQL beyond the contract: wake-ups as NOTIFY (one per transaction),
 * relaxed commits for bare claims, and leases, recovery and claim-next across several stores
 * (processes) on one database. Skipped without `BATON_TEST_DATABASE_URL` (a failure in CI), like
 * `postgres-run-store.int.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { ClaimedTask, PhaseDefinition, RunStore, WorkflowDefinition } from '@baton/engine';
import { testPhase } from '@baton/engine/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlRunStore, migrate, openPostgresDb, openPostgresStore, type Db } from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';

const T0 = 1_700_000_000_000;
const text = { mediaType: 'text/plain', text: 'ok', size: 2, sha256: 'h' };

function phase(id: string, needs: string[] = []): PhaseDefinition {
  return testPhase(id, { needs });
}

function workflow(id: string, ...phases: PhaseDefinition[]): WorkflowDefinition {
  return { id, version: 1, phases };
}

function newRunId(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

async function createRun(store: RunStore, wf: WorkflowDefinition): Promise<string> {
  const runId = newRunId(wf.id);
  const created = await store.createRun(
    { type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' },
    T0,
  );
  expect(created.ok).toBe(true);
  return runId;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describeOnPostgres('PostgreSQL task queue', (adminUrl) => {
  let database: TestDatabase;
  let stores: RunStore[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(adminUrl, 'baton_queue');
    // Four stores with their own pools and caches stand in for four processes.
    stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore({ connectionString: database.url })));
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  });

  describe('PostgreSQL wake-ups', () => {
    it('sends one empty NOTIFY per transaction that leaves work for others or moves a run status, and none otherwise', async () => {
      const listener = new pg.Client({ connectionString: database.url });
      await listener.connect();
      const payloads: string[] = [];
      listener.on('notification', (message) => payloads.push(message.payload ?? ''));
      await listener.query('LISTEN baton_wakeup');
      const settle = () => pause(250);
      try {
        const store = stores[0]!;
        const runId = await createRun(
          store,
          workflow('notify', phase('a'), phase('b', ['a']), phase('c', ['a']), phase('d', ['a'])),
        );
        await settle();
        expect(payloads).toEqual(['']);

        // A bare claim leaves no work behind for anybody: no notification.
        const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
        await settle();
        expect(payloads).toEqual(['']);

        // Events, three enqueues and two claims (d stays queued for others): one transaction, one
        // notification.
        const done = await store.apply(
          runId,
          { type: 'succeed', phaseId: 'a', attempt: 1, output: text },
          T0 + 2,
          { leaseToken: a!.lease.token, claimNext: { runId, limit: 2 } },
        );
        expect(done.ok && done.claimed).toHaveLength(2);
        await settle();
        expect(payloads).toEqual(['', '']);

        // Nothing changed: a refused decision, an empty claim, reads and a heartbeat.
        expect(
          (
            await store.apply(
              runId,
              { type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ana' },
              T0 + 3,
            )
          ).ok,
        ).toBe(false);
        expect(await store.claim({ runId: `${runId}-none`, limit: 5, now: T0 + 3 })).toEqual([]);
        await store.nextWakeup({ runId });
        await store.heartbeat(
          done.ok ? (done.claimed ?? []).map((task) => ({ task, token: task.lease.token })) : [],
          T0 + 3,
        );
        await settle();
        expect(payloads).toHaveLength(2);
      } finally {
        await listener.end();
      }
    });

    it("does not wake a store's subscribers twice for its own commits", async () => {
      const store = stores[1]!;
      let calls = 0;
      const unsubscribe = await store.subscribe(() => {
        calls += 1;
      });
      try {
        await createRun(store, workflow('own', phase('a')));
        expect(calls).toBe(1);
        await pause(250);
        expect(calls).toBe(1);
      } finally {
        await unsubscribe();
      }
    });
  });

  describe('PostgreSQL claims', () => {
    it('commits a bare claim without waiting for the disk, and results durably', async () => {
      const db = openPostgresDb({ connectionString: database.url });
      await migrate(db);
      const statements: string[][] = [];
      // Each transaction's statements, and each statement run outside one (its own transaction).
      const recording: Db = {
        ...db,
        query: (sql, params) => {
          statements.push([sql]);
          return db.query(sql, params);
        },
        transaction: (fn) =>
          db.transaction((tx) => {
            const seen: string[] = [];
            statements.push(seen);
            return fn({
              ...tx,
              query: (sql, params) => {
                seen.push(sql);
                return tx.query(sql, params);
              },
            });
          }),
      };
      const store = createSqlRunStore(recording);
      try {
        const runId = await createRun(store, workflow('relaxed', phase('a'), phase('b', ['a'])));
        const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
        await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: text }, T0 + 2, {
          leaseToken: a!.lease.token,
          claimNext: { runId, limit: 1 },
        });
        // The writes' transactions (the store's read of who listens for run events, before its first
        // write, is a read of pg_locks outside them: not counted here).
        const writes = statements.filter((sqls) => !sqls.some((sql) => /pg_locks/.test(sql)));
        expect(
          writes.map((sqls) => sqls.some((sql) => /SET LOCAL synchronous_commit = off/.test(sql))),
        ).toEqual([false, true, false]);
        // SET LOCAL ends with its transaction.
        const [setting] = await db.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        expect(setting?.synchronous_commit).toBe('on');
      } finally {
        await store.close();
      }
    });
  });

  describe('PostgreSQL leases across processes', () => {
    it("recovers a crashed worker's task in another process and ignores the crashed worker's result", async () => {
      const [crashed, survivor] = stores as [RunStore, RunStore];
      const runId = await createRun(crashed, workflow('crash', phase('a'), phase('b', ['a'])));
      const [task] = await crashed.claim({ runId, limit: 1, now: T0 + 1, leaseMs: 1_000 });

      const [recovered] = await survivor.recoverExpired(T0 + 1_001, { runId });
      expect(recovered?.ok && recovered.state.phases.a).toMatchObject({ status: 'ready', attempt: 2 });
      const [again] = await survivor.claim({ runId, limit: 1, now: T0 + 1_002, leaseMs: 1_000 });
      expect(again).toMatchObject({ phaseId: 'a', attempt: 2 });

      const late = await crashed.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 1, output: text },
        T0 + 1_003,
        { leaseToken: task!.lease.token },
      );
      expect(late).toMatchObject({
        ok: true,
        events: [],
        commands: [],
        ignored: expect.stringContaining('attempt 1 of "a"'),
      });
      expect((await crashed.heartbeat([{ task: task!, token: task!.lease.token }], T0 + 1_003)).lost).toEqual(
        [{ runId, phaseId: 'a', attempt: 1 }],
      );
      const done = await survivor.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 2, output: text },
        T0 + 1_004,
        { leaseToken: again!.lease.token },
      );
      expect(done.ok && done.ignored).toBeUndefined();
    });

    it('recovers each expired task exactly once when several processes recover at once', async () => {
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      const runIds = await Promise.all(
        [1, 2, 3].map(() => createRun(stores[0]!, workflow('recover', ...ids.map((id) => phase(id))))),
      );
      for (const runId of runIds) {
        expect(await stores[0]!.claim({ runId, limit: 10, now: T0 + 1, leaseMs: 100 })).toHaveLength(6);
      }
      const recovered = await Promise.all(
        stores.flatMap((store) => runIds.map((runId) => store.recoverExpired(T0 + 200, { runId }))),
      );
      expect(recovered.flat().filter((t) => t.ok && t.events.length > 0)).toHaveLength(18);
      for (const runId of runIds) {
        const events = await stores[1]!.listEvents(runId);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect(events.filter((e) => e.type === 'phase_failed')).toHaveLength(6);
        expect(await stores[2]!.runningTasks({ runId })).toEqual([]);
        const next = await stores[3]!.claim({ runId, limit: 10, now: T0 + 300 });
        expect(next.map((t) => t.attempt)).toEqual([2, 2, 2, 2, 2, 2]);
      }
    });

    it('finishes every run without deadlocks while workers claim, complete with claim-next and heartbeat, and runs pause and resume', async () => {
      const wf = workflow(
        'busy',
        phase('a'),
        phase('b', ['a']),
        phase('c', ['a']),
        phase('d', ['a']),
        phase('e', ['b', 'c', 'd']),
        phase('f'),
      );
      const runIds = await Promise.all(Array.from({ length: 10 }, () => createRun(stores[0]!, wf)));
      const ours = new Set(runIds);
      const completed = new Set<string>();
      const started: string[] = [];

      async function work(store: RunStore): Promise<void> {
        const queue: ClaimedTask[] = [];
        for (let polls = 0; polls < 2_000 && completed.size < runIds.length; polls++) {
          if (queue.length === 0) {
            const claimed = await store.claim({ limit: 2, now: T0 + 1, leaseMs: 60_000 });
            queue.push(...claimed);
            if (claimed.length === 0) await pause(2);
          }
          const task = queue.shift();
          if (task === undefined) continue;
          if (ours.has(task.runId)) started.push(`${task.runId}/${task.phaseId}#${task.attempt}`);
          const [renewed, transition] = await Promise.all([
            store.heartbeat([{ task, token: task.lease.token }], T0 + 2, 60_000),
            store.apply(
              task.runId,
              { type: 'succeed', phaseId: task.phaseId, attempt: task.attempt, output: text },
              T0 + 2,
              { leaseToken: task.lease.token, claimNext: { limit: 2, leaseMs: 60_000 } },
            ),
          ]);
          expect(renewed.lost.length).toBeLessThanOrEqual(1);
          if (!transition.ok) throw new Error(transition.error.message);
          expect(transition.ignored).toBeUndefined();
          queue.push(...(transition.claimed ?? []));
          if (transition.state.status === 'completed' && ours.has(task.runId)) completed.add(task.runId);
        }
        // Hand back what this worker still holds: finish it.
        for (const task of queue) {
          await store.apply(
            task.runId,
            { type: 'succeed', phaseId: task.phaseId, attempt: task.attempt, output: text },
            T0 + 3,
            { leaseToken: task.lease.token },
          );
        }
      }

      // Meanwhile a person pauses and resumes runs: transitions that dequeue tasks other
      // transactions may be claiming (the pattern of an earlier deadlock).
      async function meddle(store: RunStore): Promise<void> {
        for (let round = 0; completed.size < runIds.length && round < 500; round++) {
          const runId = runIds[round % runIds.length]!;
          const paused = await store.apply(runId, { type: 'pause', by: 'ana' }, T0 + 2);
          if (paused.ok) await store.apply(runId, { type: 'resume', by: 'ana' }, T0 + 2);
        }
      }

      await Promise.all([...stores.map((store) => work(store)), meddle(stores[3]!)]);
      expect(completed.size).toBe(runIds.length);
      expect(new Set(started).size).toBe(started.length);
      for (const runId of runIds) {
        const events = await stores[0]!.listEvents(runId);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect(events.filter((e) => e.type === 'phase_started')).toHaveLength(6);
        expect((await stores[1]!.getRun(runId))?.status).toBe('completed');
      }
    });
  });
});
