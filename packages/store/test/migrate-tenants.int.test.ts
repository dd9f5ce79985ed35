/**
 * Migration 0008 (tenants) on a database that holds a run written by a Baton before it: the run is
 * the local tenant's, reads as it did, and goes on. The old rows are written by SQL against the
 * version-7 schema, from a log the engine made, as that Baton's store would have written them.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_TENANT,
  step,
  type OutputPayload,
  type RunEvent,
  type RunInput,
  type RunState,
} from '@baton/engine';
import { testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import { createSqlRunStore, migrate, openPgliteDb, openPostgresDb, type Db } from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';

const T0 = 1_700_000_000_000;
const workflow = testWorkflow('legacy', testPhase('a'), testPhase('b', { needs: ['a'] }));
const file = { text: 'export const legacy = 1;\n', size: 25, sha256: sha('export const legacy = 1;\n') };
const output: OutputPayload = { ...testPayload('{}'), files: [file] };

function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The run's log up to `b` running: created, `a` claimed and done (a file tree), `b` claimed. */
function legacyRun(runId: string): { state: RunState; events: RunEvent[] } {
  const events: RunEvent[] = [];
  let state: RunState | undefined;
  const inputs: [RunInput, number][] = [
    [{ type: 'create', runId, workflow, fixtures: {}, inputs: {}, by: 'ana' }, T0],
    [{ type: 'claim', phaseId: 'a', attempt: 1 }, T0 + 1],
    [{ type: 'succeed', phaseId: 'a', attempt: 1, output }, T0 + 2],
    [{ type: 'claim', phaseId: 'b', attempt: 1 }, T0 + 3],
  ];
  for (const [input, now] of inputs) {
    const result = step(state, input, now, { strictTransitions: true });
    if (!result.ok) throw new Error(result.error.message);
    state = result.state;
    events.push(...result.events);
  }
  return { state: state!, events };
}

/** Writes the run as the version-7 store did (no tenants, blobs by hash, ledger tied to the run). */
async function writeLegacyRows(db: Db, state: RunState, events: readonly RunEvent[]): Promise<void> {
  const ts = (ms: number) => new Date(ms).toISOString();
  await db.query(
    `INSERT INTO runs (id, workflow_id, workflow_version, status, last_seq, created_at, updated_at, created_by)
     VALUES ($1, $2, 1, $3, $4, $5, $6, 'ana')`,
    [state.runId, workflow.id, state.status, state.seq, ts(T0), ts(state.updatedAt)],
  );
  for (const { seq, type, at, ...data } of events) {
    await db.query(`INSERT INTO events (run_id, seq, type, data, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      state.runId,
      seq,
      type,
      JSON.stringify(data),
      ts(at),
    ]);
  }
  for (const id of state.order) {
    const phase = state.phases[id]!;
    await db.query(
      `INSERT INTO phases (run_id, phase_id, status, attempt, updated_at) VALUES ($1, $2, $3, $4, $5)`,
      [state.runId, id, phase.status, phase.attempt, ts(phase.updatedAt)],
    );
  }
  await db.query(
    `INSERT INTO tasks (run_id, phase_id, attempt, kind, status, run_at, created_at, claimed_at, finished_at,
                        lease_token, lease_expires_at)
     VALUES ($1, 'a', 1, 'tool', 'done', $2, $2, $3, $4, 'old-a', $5),
            ($1, 'b', 1, 'tool', 'running', $4, $4, $6, NULL, 'old-b', $7)`,
    [state.runId, ts(T0), ts(T0 + 1), ts(T0 + 2), ts(T0 + 30_001), ts(T0 + 3), ts(T0 + 30_003)],
  );
  await db.query(
    `INSERT INTO artifacts (run_id, phase_id, attempt, version, media_type, size, sha256, content, created_at)
     VALUES ($1, 'a', 1, 1, $2, $3, $4, $5, $6)`,
    [state.runId, output.mediaType, output.size, output.sha256, Buffer.from(output.text), ts(T0 + 2)],
  );
  await db.query(`INSERT INTO blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4)`, [
    file.sha256,
    file.size,
    Buffer.from(file.text),
    ts(T0 + 2),
  ]);
  await db.query(
    `INSERT INTO model_calls (run_id, phase_id, attempt, agent, provider, model, input_tokens, output_tokens,
                              cached_tokens, cost_usd, latency_ms, status, created_at)
     VALUES ($1, 'a', 1, 'writer', 'openai', 'gpt-a', 10, 5, 0, 0.5, 7, 'ok', $2)`,
    [state.runId, ts(T0 + 2)],
  );
}

function migrationChecks(name: string, openDb: () => Promise<Db>): void {
  describe(`migration 0008 (tenants): ${name}`, () => {
    let db: Db;

    beforeAll(async () => {
      db = await openDb();
    });

    afterAll(async () => {
      await db.close();
    });

    it("keeps a run made before tenants readable as the local tenant's, and it still steps", async () => {
      expect(await migrate(db, { upTo: 7 })).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const runId = 'legacy-run';
      const { state, events } = legacyRun(runId);
      await writeLegacyRows(db, state, events);

      expect(await migrate(db)).toContain(8);
      const store = createSqlRunStore({ ...db, close: () => Promise.resolve() });
      const local = store.forTenant(LOCAL_TENANT);
      for (const view of [store, local]) {
        expect(await view.getRun(runId)).toEqual(state);
        expect(await view.listEvents(runId)).toEqual(events);
      }
      expect(await local.listRuns()).toEqual([
        {
          id: runId,
          tenantId: LOCAL_TENANT,
          workflowId: 'legacy',
          status: 'running',
          createdAt: T0,
          updatedAt: T0 + 3,
        },
      ]);
      // The running task's sign of life is its claim; its lease and file contents carried over.
      expect(await local.runningTasks()).toEqual([
        {
          runId,
          tenantId: LOCAL_TENANT,
          phaseId: 'b',
          attempt: 1,
          kind: 'tool',
          runAt: T0 + 2,
          heartbeatAt: T0 + 3,
        },
      ]);
      expect(await local.getBlob(file.sha256)).toBe(file.text);
      expect(await local.getArtifact(runId, 'a', 1)).toMatchObject({ content: '{}' });
      expect(await local.modelUsage(runId)).toMatchObject({ total: { calls: 1, costUsd: 0.5 } });
      const other = store.forTenant('someone-else');
      expect(await other.getRun(runId)).toBeUndefined();
      expect(await other.getBlob(file.sha256)).toBeUndefined();

      // Every row is the local tenant's; new rows must name their tenant (no default is left).
      for (const table of ['runs', 'events', 'phases', 'tasks', 'artifacts', 'blobs', 'model_calls']) {
        const rows = await db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`);
        expect({ table, tenants: rows.map((row) => row.tenant_id) }).toEqual({ table, tenants: ['local'] });
      }
      await expect(
        db.query(
          `INSERT INTO events (run_id, seq, type, data, created_at) VALUES ($1, 99, 'x', '{}', now())`,
          [runId],
        ),
      ).rejects.toMatchObject({ code: 'STORAGE_ERROR' });

      // The run goes on: b's result under its old lease, then the run completes.
      const done = await local.apply(
        runId,
        { type: 'succeed', phaseId: 'b', attempt: 1, output: testPayload('b') },
        T0 + 4,
        { leaseToken: 'old-b' },
      );
      expect(done).toMatchObject({ ok: true, state: { status: 'completed' } });
      expect(done.ok && done.ignored).toBe(undefined);
      expect(await store.getRun(runId)).toMatchObject({ status: 'completed', seq: state.seq + 3 });
      // And it can be renamed, listed with its title.
      await local.apply(runId, { type: 'set_title', title: 'Made before tenants', by: 'ana' }, T0 + 5);
      expect((await local.listRuns())[0]).toMatchObject({ id: runId, title: 'Made before tenants' });
    });
  });
}

migrationChecks('PGlite', () => openPgliteDb());

describeOnPostgres('migration 0008 on PostgreSQL', (adminUrl) => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.drop();
  });
  migrationChecks('PostgreSQL', async () => {
    database = await createTestDatabase(adminUrl);
    return openPostgresDb({ connectionString: database.url });
  });
});
