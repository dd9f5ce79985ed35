import type { Queryable } from '../db.js';

/**
 * Earliest `run_at` of the queued tasks (of one run, or of all; of one tenant, or of all), or
 * undefined when none.
 */
export async function selectNextDue(
  db: Queryable,
  runId: string | undefined,
  tenantId: string | undefined,
): Promise<number | undefined> {
  const rows = await db.query<{ runAt: number | null }>(
    `SELECT round(extract(epoch FROM min(run_at)) * 1000)::float8 AS "runAt"
       FROM tasks
      WHERE status = 'queued' AND ($1::text IS NULL OR run_id = $1::text)
        AND ($2::text IS NULL OR tenant_id = $2::text)`,
    [runId ?? null, tenantId ?? null],
  );
  return rows[0]?.runAt ?? undefined;
}
