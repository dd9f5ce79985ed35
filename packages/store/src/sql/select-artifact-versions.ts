import type { ArtifactVersionRecord } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Every stored version of a phase's output, oldest first, without contents: none when the run has
 * none (or, with `tenantId`, is not that tenant's). Walks the `(run_id, phase_id, version)` unique
 * index in order.
 */
export async function selectArtifactVersions(
  db: Queryable,
  runId: string,
  phaseId: string,
  tenantId: string | undefined,
): Promise<ArtifactVersionRecord[]> {
  return db.query<ArtifactVersionRecord>(
    `SELECT run_id AS "runId", phase_id AS "phaseId", attempt, version, media_type AS "mediaType", size, sha256,
            round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt"
       FROM artifacts
      WHERE run_id = $1 AND phase_id = $2 AND ($3::text IS NULL OR tenant_id = $3::text)
      ORDER BY version`,
    [runId, phaseId, tenantId ?? null],
  );
}
