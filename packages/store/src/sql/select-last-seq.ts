import type { Queryable } from '../db.js';
import type { RunRow } from '../run-state-cache.js';

/**
 * The run's last sequence number and tenant without locking, or undefined when there is no such
 * run — or it is not `tenantId`'s, when given.
 */
export async function selectLastSeq(
  db: Queryable,
  runId: string,
  tenantId: string | undefined,
): Promise<RunRow | undefined> {
  const rows = await db.query<RunRow>(
    `SELECT id AS "runId", last_seq AS "lastSeq", tenant_id AS "tenantId"
       FROM runs
      WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2::text)`,
    [runId, tenantId ?? null],
  );
  return rows[0];
}
