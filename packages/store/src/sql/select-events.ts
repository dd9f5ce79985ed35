import type { RunEvent } from '@baton/engine';
import type { Queryable } from '../db.js';

interface EventRow {
  readonly seq: number;
  readonly type: RunEvent['type'];
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/**
 * The run's events with `afterSeq < seq <= upToSeq` (no upper bound when `upToSeq` is undefined),
 * in order; none when `tenantId` is given and the run is not that tenant's. Bounding by a
 * `last_seq` read earlier gives a consistent prefix of the log even outside a transaction: events
 * are only ever appended.
 */
export async function selectEvents(
  db: Queryable,
  runId: string,
  afterSeq: number,
  upToSeq?: number,
  tenantId?: string,
  limit?: number,
): Promise<RunEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT seq, type, data, round(extract(epoch FROM created_at) * 1000)::float8 AS at
       FROM events
      WHERE run_id = $1 AND seq > $2 AND ($3::integer IS NULL OR seq <= $3::integer)
        AND ($4::text IS NULL OR tenant_id = $4::text)
      ORDER BY seq
      LIMIT $5::integer`,
    [runId, afterSeq, upToSeq ?? null, tenantId ?? null, limit ?? null],
  );
  return rows.map(
    (row) => ({ ...row.data, type: row.type, seq: row.seq, at: row.at }) as unknown as RunEvent,
  );
}
