import pg from 'pg';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createRunChanges,
  createSqlRunStore,
  migrate,
  openPostgresDb,
  type Db,
  type Queryable,
  type RunChanges,
} from '../src/index.js';
import { insertModelCall } from '../src/sql/insert-model-call.js';
import { writeStep } from '../src/sql/write-step.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';
import { modelCall, readAll, settled } from './run-changes-checks.js';

/**
 * The tenant stream's reason to exist: two transactions on two connections change two runs, and
 * the one that started first (the smaller transaction id) commits last. A reader polling in
 * between must not move past the one still open; resuming from its cursor after both committed,
 * it gets both. The writes are the store's own statements (a model call, a step), on raw `pg`
 * connections so that the test decides when each commits.
 */

const T0 = 1_700_000_000_000;

/** A raw connection as the store's `Queryable`. */
function queryable(client: pg.Client): Queryable {
  return {
    query: async <T>(sql: string, params?: readonly unknown[]) =>
      (await client.query(sql, params as unknown[])).rows as T[],
    exec: async (script: string) => {
      await client.query(script);
    },
  };
}

describeOnPostgres('run changes committed out of order', (adminUrl) => {
  let database: TestDatabase;
  let db: Db;
  let changes: RunChanges;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(adminUrl);
    db = openPostgresDb({ connectionString: database.url });
    await migrate(db);
    changes = createRunChanges(db);
    for (let i = 0; i < 2; i++) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      clients.push(client);
    }
  });

  afterAll(async () => {
    for (const client of clients) await client.end();
    await db.close();
    await database.drop();
  });

  it('holds back a change committed first while an older transaction is open, then delivers both', async () => {
    const store = createSqlRunStore({ ...db, close: () => Promise.resolve() });
    const workflow = testWorkflow('w', testPhase('draft'));
    for (const runId of ['run-a', 'run-b']) {
      await store.createRun({ type: 'create', runId, workflow, fixtures: {}, inputs: {}, by: 'ana' }, T0);
    }
    const { cursor: start } = await readAll(changes, 'local', { xid: '0', runId: '' }, 100, db);
    const [older, younger] = clients as [pg.Client, pg.Client];

    // The older transaction takes its id first (its write), the younger one after it.
    await older.query('BEGIN');
    expect(await insertModelCall(queryable(older), modelCall('run-a', 7), undefined)).toBe(true);
    const [{ xid: olderXid }] = (
      await older.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
    ).rows as [{ xid: string }];
    await younger.query('BEGIN');
    // A step of run-b: its title, by the store's step statement (guarded on its last seq).
    const state = (await store.getRun('run-b'))!;
    const moved = await writeStep(queryable(younger), {
      runId: 'run-b',
      tenantId: 'local',
      expectedSeq: state.seq,
      run: {
        status: state.status,
        seq: state.seq,
        updatedAt: T0 + 5,
        title: 'Younger',
        titleSetByPerson: true,
        stage: undefined,
      },
      events: [],
      phases: [],
      leases: [],
      finished: [],
      dequeued: [],
      queued: [],
      claimed: [],
      artifacts: [],
      blobs: [],
      now: T0 + 5,
      notify: false,
      eventsNotice: undefined,
    });
    expect(moved).toBe(true);
    const [{ xid: youngerXid }] = (
      await younger.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
    ).rows as [{ xid: string }];
    expect(BigInt(youngerXid)).toBeGreaterThan(BigInt(olderXid));
    await younger.query('COMMIT');

    // Polling now: run-b's change is committed and visible, but lies above the open transaction.
    const between = await changes.after('local', start, 100);
    expect(between).toEqual([]);
    const horizon = await changes.now();
    expect(BigInt(horizon.xid)).toBeLessThanOrEqual(BigInt(olderXid));
    // The row itself is there to see: only the bound keeps it back.
    const [row] = await db.query<{ title: string }>(`SELECT title FROM runs WHERE id = 'run-b'`);
    expect(row?.title).toBe('Younger');

    await older.query('COMMIT');
    await settled(db, changes);
    const after = await readAll(changes, 'local', start, 100, db);
    expect(after.changes.map((c) => [c.type === 'run' ? c.run.id : c.runId, c.position.xid])).toEqual([
      ['run-a', olderXid],
      ['run-b', youngerXid],
    ]);
    expect(after.changes[0]).toMatchObject({ run: { usage: { calls: 1, inputTokens: 7 } } });
    expect(after.changes[1]).toMatchObject({ run: { title: 'Younger' } });
  });
});
