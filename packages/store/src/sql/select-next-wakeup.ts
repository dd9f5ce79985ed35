import type { Queryable } from '../db.js';

/**
 * The earliest of the next queued task's `run_at` and the next running task's lease expiry (of one
 * run, or of all; of one tenant, or of all), or undefined when there is neither. Both halves use a
 * partial index (`tasks_due_idx`, `tasks_lease_idx`).
 */
export async function selectNextWakeup(
  db: Queryable,
  runId: string | undefined,
  tenantId: string | undefined,
): Promise<number | undefined> {
  const rows = await db.query<{ wakeAt: number | null }>(
    `SELECT round(extract(epoch FROM least(
              (SELECT min(run_at) FROM tasks
                WHERE status = 'queued' AND ($1::text IS NULL OR run_id = $1::text)
                  AND ($2::text IS NULL OR tenant_id = $2::text)),
              (SELECT min(lease_expires_at) FROM tasks
                WHERE status = 'running' AND ($1::text IS NULL OR run_id = $1::text)
                  AND ($2::text IS NULL OR tenant_id = $2::text))
            )) * 1000)::float8 AS "wakeAt"`,
    [runId ?? null, tenantId ?? null],
  );
  return rows[0]?.wakeAt ?? undefined;
}
