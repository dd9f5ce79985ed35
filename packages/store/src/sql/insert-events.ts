import type { RunEvent } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Appends numbered events to the run's log in one statement. The primary key `(run_id, seq)`
 * refuses a number twice; the caller holds the run's lock, so the numbers follow `last_seq`.
 */
export async function insertEvents(db: Queryable, runId: string, events: readonly RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  const records = events.map(({ seq, type, at, ...data }) => ({ seq, type, at, data }));
  await db.query(
    `INSERT INTO events (run_id, seq, type, data, created_at)
     SELECT $1, e.seq, e.type, e.data, to_timestamp(e.at / 1000.0)
       FROM jsonb_to_recordset($2::jsonb) AS e(seq integer, type text, at double precision, data jsonb)
      ORDER BY e.seq`,
    [runId, JSON.stringify(records)],
  );
}
