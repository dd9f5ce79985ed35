import type { PhaseState } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Writes the projection rows of the given phases (inserting missing ones) in one statement. */
export async function upsertPhases(
  db: Queryable,
  runId: string,
  phases: readonly PhaseState[],
): Promise<void> {
  if (phases.length === 0) return;
  const records = phases.map((phase) => ({
    phase_id: phase.id,
    status: phase.status,
    attempt: phase.attempt,
    updated_at: phase.updatedAt,
  }));
  await db.query(
    `INSERT INTO phases (run_id, phase_id, status, attempt, updated_at)
     SELECT $1, p.phase_id, p.status, p.attempt, to_timestamp(p.updated_at / 1000.0)
       FROM jsonb_to_recordset($2::jsonb) AS p(phase_id text, status text, attempt integer, updated_at double precision)
     ON CONFLICT (run_id, phase_id)
     DO UPDATE SET status = excluded.status, attempt = excluded.attempt, updated_at = excluded.updated_at`,
    [runId, JSON.stringify(records)],
  );
}
