import type { ArtifactVersionRef } from '@baton/engine';
import type { Queryable } from '../db.js';
import { ARTIFACT_COLUMNS, type ArtifactRow } from './select-artifact.js';

/**
 * Many artifact versions of one run in one statement: one entry per ref, in the refs' order — the
 * artifact's row, or undefined when the run has no such version (or is not `tenantId`'s, if given).
 *
 * The refs travel as one JSON parameter (`jsonb_to_recordset`), so the statement's text is the
 * same for any number of refs and is prepared once; the semi-join (`IN`) returns each artifact
 * once however often it is asked for, and walks the `(run_id, phase_id, version)` unique index.
 */
export async function selectArtifacts(
  db: Queryable,
  runId: string,
  refs: readonly ArtifactVersionRef[],
  tenantId: string | undefined,
): Promise<(ArtifactRow | undefined)[]> {
  if (refs.length === 0) return [];
  const wanted = refs.map((ref) => ({ phase_id: ref.phaseId, version: ref.version }));
  const rows = await db.query<ArtifactRow>(
    `SELECT ${ARTIFACT_COLUMNS}
       FROM artifacts a
      WHERE a.run_id = $1::text AND ($3::text IS NULL OR a.tenant_id = $3::text)
        AND (a.phase_id, a.version) IN (
              SELECT w.phase_id, w.version
                FROM jsonb_to_recordset($2::jsonb) AS w(phase_id text, version integer))`,
    [runId, JSON.stringify(wanted), tenantId ?? null],
  );
  const found = new Map<string, ArtifactRow>();
  for (const row of rows) found.set(`${row.version}:${row.phaseId}`, row);
  return refs.map((ref) => found.get(`${ref.version}:${ref.phaseId}`));
}
