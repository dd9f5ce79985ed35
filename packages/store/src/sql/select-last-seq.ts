import type { Queryable } from '../db.js';

/** The run's last sequence number without locking, or undefined when there is no such run. */
export async function selectLastSeq(db: Queryable, runId: string): Promise<number | undefined> {
  const rows = await db.query<{ lastSeq: number }>(`SELECT last_seq AS "lastSeq" FROM runs WHERE id = $1`, [
    runId,
  ]);
  return rows[0]?.lastSeq;
}
