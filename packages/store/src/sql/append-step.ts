import type { PhaseState, RunEvent, RunState } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Writes one step in one statement (one round trip): appends its numbered events to the log,
 * writes the projection rows of the phases it changed (inserting missing ones), and moves the
 * run's row from `previousSeq` to the new state. Returns false when the run's row was not at
 * `previousSeq` — impossible while the caller holds the run's lock, so the caller treats it as a
 * bug. `previousSeq` undefined: the caller has just inserted the run's row (nothing to move).
 *
 * Data-modifying `WITH` parts run exactly once whether or not the final `SELECT` reads them. The
 * primary key `(run_id, seq)` refuses an event number twice.
 */
export async function appendStep(
  db: Queryable,
  state: RunState,
  events: readonly RunEvent[],
  phases: readonly PhaseState[],
  previousSeq: number | undefined,
): Promise<boolean> {
  const eventRecords = events.map(({ seq, type, at, ...data }) => ({ seq, type, at, data }));
  const phaseRecords = phases.map((phase) => ({
    phase_id: phase.id,
    status: phase.status,
    attempt: phase.attempt,
    updated_at: phase.updatedAt,
  }));
  const rows = await db.query<{ moved: number }>(
    `WITH appended AS (
       INSERT INTO events (run_id, seq, type, data, created_at)
       SELECT $1, e.seq, e.type, e.data, to_timestamp(e.at / 1000.0)
         FROM jsonb_to_recordset($2::jsonb) AS e(seq integer, type text, at double precision, data jsonb)
        ORDER BY e.seq
     ), projected AS (
       INSERT INTO phases (run_id, phase_id, status, attempt, updated_at)
       SELECT $1, p.phase_id, p.status, p.attempt, to_timestamp(p.updated_at / 1000.0)
         FROM jsonb_to_recordset($3::jsonb) AS p(phase_id text, status text, attempt integer, updated_at double precision)
       ON CONFLICT (run_id, phase_id)
       DO UPDATE SET status = excluded.status, attempt = excluded.attempt, updated_at = excluded.updated_at
     ), moved AS (
       UPDATE runs
          SET status = $4, last_seq = $5, updated_at = to_timestamp($6 / 1000.0)
        WHERE id = $1 AND $7::integer IS NOT NULL AND last_seq = $7::integer
        RETURNING id
     )
     SELECT (SELECT count(*) FROM moved)::integer AS moved`,
    [
      state.runId,
      JSON.stringify(eventRecords),
      JSON.stringify(phaseRecords),
      state.status,
      state.seq,
      state.updatedAt,
      previousSeq ?? null,
    ],
  );
  return previousSeq === undefined || rows[0]?.moved === 1;
}
