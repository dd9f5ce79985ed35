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
import { createSqlRunStore, loadMigrations, migrate, type Db } from '../src/index.js';

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

    it('records every migration once and does nothing when run again', async () => {
      expect(await migrate(db)).toEqual([]);
      const versions = await db.query<{ version: number }>(
        `SELECT version FROM baton_migrations ORDER BY version`,
      );
      expect(versions.map((row) => row.version)).toEqual((await loadMigrations()).map((m) => m.version));
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
