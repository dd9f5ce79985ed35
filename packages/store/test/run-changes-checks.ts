/**
 * Checks of the run changes feed (`run-changes.ts`) run against each driver: what it delivers, in
 * which order, with which state, and what it never delivers (another tenant's runs, changes before
 * `now()`).
 */
import { testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import type { ModelCallRecord, RunStore, ScopedRunStore } from '@baton/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRunChanges,
  createSqlRunStore,
  FIRST_POSITION,
  isAfter,
  type ChangePosition,
  type Db,
  type RunChange,
  type RunChanges,
} from '../src/index.js';
import { borrowed } from './sql-store-checks.js';

const T0 = 1_700_000_000_000;

/** A gated first phase (the run waits for a person after it), then a second one. */
const gated = testWorkflow(
  'gated',
  testPhase('draft', { gate: true }),
  testPhase('publish', { needs: ['draft'] }),
);

/**
 * Waits until every transaction that ended before this call is below the feed's horizon. On a
 * PostgreSQL server shared with others, any transaction still open anywhere on it holds the horizon
 * back (`run-changes.ts`): what this test committed is delivered once that one ends.
 */
export async function settled(db: Db, changes: RunChanges): Promise<void> {
  // A fresh transaction id, larger than that of every transaction that ended before.
  const [mark] = await db.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`);
  while (BigInt((await changes.now()).xid) <= BigInt(mark!.xid)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every change after `from` once what was committed is final, read `limit` at a time. */
export async function readAll(
  changes: RunChanges,
  tenantId: string,
  from: ChangePosition,
  limit = 100,
  db?: Db,
): Promise<{ changes: RunChange[]; cursor: ChangePosition }> {
  if (db !== undefined) await settled(db, changes);
  const all: RunChange[] = [];
  let cursor = from;
  for (;;) {
    const page = await changes.after(tenantId, cursor, limit);
    all.push(...page);
    if (page.length > 0) cursor = page.at(-1)!.position;
    if (page.length < limit) return { changes: all, cursor };
  }
}

/** A model call of `runId`'s `draft` phase. */
export function modelCall(runId: string, inputTokens: number): ModelCallRecord {
  return {
    runId,
    phaseId: 'draft',
    attempt: 1,
    agent: 'writer',
    provider: 'scripted',
    model: 'm',
    inputTokens,
    outputTokens: 1,
    cachedTokens: 0,
    costUsd: 0.5,
    latencyMs: 3,
    status: 'ok',
    at: T0,
  };
}

/** Defines the checks; `openDb` gives a migrated database the suite may write to and closes after. */
export function runChangesChecks(name: string, openDb: () => Promise<Db>): void {
  describe(`run changes: ${name}`, () => {
    let db: Db;
    let root: ScopedRunStore;
    let changes: RunChanges;
    let counter = 0;
    /** A tenant of its own for each test: what it reads is only its own doing. */
    const newTenant = async (): Promise<{ tenantId: string; store: RunStore }> => {
      const tenantId = `t${Date.now().toString(36)}${++counter}`;
      await root.ensureTenant({ id: tenantId, name: tenantId }, T0);
      return { tenantId, store: root.forTenant(tenantId) };
    };
    const create = async (store: RunStore, runId: string): Promise<void> => {
      const made = await store.createRun(
        { type: 'create', runId, workflow: gated, fixtures: {}, inputs: {}, by: 'ana' },
        T0,
      );
      expect(made.ok).toBe(true);
    };

    beforeAll(async () => {
      db = await openDb();
      root = createSqlRunStore(borrowed(db));
      changes = createRunChanges(db);
    });

    afterAll(async () => {
      await db.close();
    });

    it('delivers each changed run once, with its newest state, in commit order', async () => {
      const { tenantId, store } = await newTenant();
      const start = await changes.now();
      await create(store, `${tenantId}-a`);
      await create(store, `${tenantId}-b`);
      const [task] = await store.claim({ runId: `${tenantId}-a`, limit: 1, now: T0 + 1 });
      expect(task?.phaseId).toBe('draft');
      const first = await readAll(changes, tenantId, start, 100, db);
      // a was changed last (its claim): b comes first.
      expect(first.changes.map((c) => (c.type === 'run' ? [c.run.id, c.run.running] : c))).toEqual([
        [`${tenantId}-b`, []],
        [`${tenantId}-a`, ['draft']],
      ]);

      await store.apply(
        `${tenantId}-a`,
        { type: 'succeed', phaseId: 'draft', attempt: 1, output: testPayload('notes') },
        T0 + 2,
      );
      await store.apply(`${tenantId}-a`, { type: 'set_title', title: 'Release notes', by: 'ana' }, T0 + 3);
      const second = await readAll(changes, tenantId, first.cursor, 100, db);
      expect(second.changes).toHaveLength(1);
      const [change] = second.changes;
      expect(change).toMatchObject({
        type: 'run',
        run: {
          id: `${tenantId}-a`,
          workflowId: 'gated',
          status: 'waiting',
          title: 'Release notes',
          waitingFor: ['draft'],
          running: [],
          createdAt: T0,
          updatedAt: T0 + 3,
        },
      });
      expect(isAfter(second.cursor, first.cursor)).toBe(true);
      // Nothing changed since: nothing more, from either cursor's point of view.
      expect(await changes.after(tenantId, second.cursor, 100)).toEqual([]);
    });

    it('marks a run changed when a model call is recorded, with its usage summed', async () => {
      const { tenantId, store } = await newTenant();
      await create(store, `${tenantId}-u`);
      const { cursor } = await readAll(changes, tenantId, FIRST_POSITION, 100, db);
      await store.recordModelCall(modelCall(`${tenantId}-u`, 10));
      await store.recordModelCall(modelCall(`${tenantId}-u`, 5));
      const after = await readAll(changes, tenantId, cursor, 100, db);
      expect(after.changes).toHaveLength(1);
      expect(after.changes[0]).toMatchObject({
        type: 'run',
        run: { usage: { calls: 2, inputTokens: 15, outputTokens: 2, costUsd: 1, unpricedCalls: 0 } },
      });
    });

    it('delivers a deleted run as its tombstone, and sweeps tombstones by age', async () => {
      const { tenantId, store } = await newTenant();
      await create(store, `${tenantId}-d`);
      await store.apply(`${tenantId}-d`, { type: 'cancel', by: 'ana' }, T0 + 1);
      const { cursor } = await readAll(changes, tenantId, FIRST_POSITION, 100, db);
      expect((await store.deleteRun(`${tenantId}-d`)).ok).toBe(true);
      const after = await readAll(changes, tenantId, cursor, 100, db);
      expect(after.changes.map((c) => [c.type, c.type === 'deleted' ? c.runId : c.run.id])).toEqual([
        ['deleted', `${tenantId}-d`],
      ]);
      // Deleted now (the database's clock): kept by a sweep of what is older than 2000, swept by
      // one of what is older than 2100.
      expect(await changes.sweepTombstones(Date.UTC(2000, 0, 1))).toBe(0);
      expect(await changes.sweepTombstones(Date.UTC(2100, 0, 1))).toBeGreaterThanOrEqual(1);
      expect((await readAll(changes, tenantId, cursor, 100, db)).changes).toEqual([]);
    });

    it("never delivers another tenant's runs", async () => {
      const mine = await newTenant();
      const theirs = await newTenant();
      await create(mine.store, `${mine.tenantId}-m`);
      await create(theirs.store, `${theirs.tenantId}-x`);
      await theirs.store.recordModelCall(modelCall(`${theirs.tenantId}-x`, 1));
      const read = await readAll(changes, mine.tenantId, FIRST_POSITION, 100, db);
      expect(read.changes.map((c) => (c.type === 'run' ? c.run.id : c.runId))).toEqual([
        `${mine.tenantId}-m`,
      ]);
    });

    it('starts after every change final before now(), and delivers every change committed after it', async () => {
      const { tenantId, store } = await newTenant();
      await create(store, `${tenantId}-old`);
      await settled(db, changes);
      const now = await changes.now();
      expect(await changes.after(tenantId, now, 100)).toEqual([]);
      await create(store, `${tenantId}-new`);
      const read = await readAll(changes, tenantId, now, 100, db);
      expect(read.changes.map((c) => (c.type === 'run' ? c.run.id : c.runId))).toEqual([`${tenantId}-new`]);
    });

    it('pages through the runs one transaction changed without skipping any', async () => {
      const { tenantId, store } = await newTenant();
      for (const suffix of ['r1', 'r2', 'r3', 'r4', 'r5']) await create(store, `${tenantId}-${suffix}`);
      const { cursor } = await readAll(changes, tenantId, FIRST_POSITION, 100, db);
      // One transaction marks all five: they share one transaction id.
      await db.query(`UPDATE runs SET changed_xid = pg_current_xact_id() WHERE tenant_id = $1`, [tenantId]);
      const read = await readAll(changes, tenantId, cursor, 2, db);
      expect(read.changes.map((c) => (c.type === 'run' ? c.run.id : c.runId))).toEqual(
        ['r1', 'r2', 'r3', 'r4', 'r5'].map((suffix) => `${tenantId}-${suffix}`),
      );
      expect(new Set(read.changes.map((c) => c.position.xid)).size).toBe(1);
    });
  });
}
