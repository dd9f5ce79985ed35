import type { QueuedTask } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Claimed tasks without a result yet (of one run, or of all), in claim order. */
export async function selectRunningTasks(db: Queryable, runId: string | undefined): Promise<QueuedTask[]> {
  return db.query<QueuedTask>(
    `SELECT run_id AS "runId", phase_id AS "phaseId", attempt, kind,
            round(extract(epoch FROM run_at) * 1000)::float8 AS "runAt"
       FROM tasks
      WHERE status = 'running' AND ($1::text IS NULL OR run_id = $1::text)
      ORDER BY claimed_at, id`,
    [runId ?? null],
  );
}
