import type { QueuedTask } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Locks up to `limit` due queued tasks (of one run, or of all; of one tenant, or of all), oldest
 * `run_at` first, and returns them.
 *
 * Locking: `FOR UPDATE SKIP LOCKED` lets several claimers (processes, or pool connections) scan the
 * queue at once: each locks the rows it returns and skips rows another claimer holds, so no task is
 * handed out twice, and nobody waits for another claimer's transaction. A row's lock lasts until
 * the claim commits, by which time the task is `running` (or deleted) and no longer matches
 * `status = 'queued'` — a claimer that read the row before that re-checks the condition on the
 * committed version and drops it. On PGlite there is one session, so claims never overlap there
 * at all.
 */
export async function selectDueTasks(
  db: Queryable,
  options: { readonly runId?: string; readonly limit: number; readonly now: number },
  tenantId: string | undefined,
): Promise<QueuedTask[]> {
  return db.query<QueuedTask>(
    `SELECT run_id AS "runId", tenant_id AS "tenantId", phase_id AS "phaseId", attempt, kind,
            round(extract(epoch FROM run_at) * 1000)::float8 AS "runAt"
       FROM tasks
      WHERE status = 'queued'
        AND run_at <= to_timestamp($1 / 1000.0)
        AND ($2::text IS NULL OR run_id = $2::text)
        AND ($4::text IS NULL OR tenant_id = $4::text)
      ORDER BY run_at, id
      LIMIT $3
        FOR UPDATE SKIP LOCKED`,
    [options.now, options.runId ?? null, options.limit, tenantId ?? null],
  );
}
