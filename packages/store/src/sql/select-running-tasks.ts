import type { RunningTask } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Claimed tasks without a result yet (of one run, or of all; of one tenant, or of all), in claim
 * order, each with its latest sign of life (its claim, or its latest renewed heartbeat).
 */
export async function selectRunningTasks(
  db: Queryable,
  runId: string | undefined,
  tenantId: string | undefined,
): Promise<RunningTask[]> {
  return db.query<RunningTask>(
    `SELECT run_id AS "runId", tenant_id AS "tenantId", phase_id AS "phaseId", attempt, kind,
            round(extract(epoch FROM run_at) * 1000)::float8 AS "runAt",
            round(extract(epoch FROM coalesce(heartbeat_at, claimed_at, created_at)) * 1000)::float8
              AS "heartbeatAt"
       FROM tasks
      WHERE status = 'running' AND ($1::text IS NULL OR run_id = $1::text)
        AND ($2::text IS NULL OR tenant_id = $2::text)
      ORDER BY claimed_at, id`,
    [runId ?? null, tenantId ?? null],
  );
}
