import type { StoredArtifact } from '@baton/engine';
import type { ContentRow } from '../blobs/content-placement.js';
import type { Queryable } from '../db.js';

/**
 * An artifact row as the drivers return it: its content in the row, or the key of its blob
 * (`blob_key`, migration 0011) — `ContentPlacement.read` gives the text either way.
 */
export interface ArtifactRow extends Omit<StoredArtifact, 'content'>, ContentRow {}

/** The columns of an {@link ArtifactRow}, of the table aliased `a`. */
export const ARTIFACT_COLUMNS = `a.run_id AS "runId", a.phase_id AS "phaseId", a.attempt, a.version,
            a.media_type AS "mediaType", a.size, a.sha256, a.content, a.blob_key AS "blobKey",
            round(extract(epoch FROM a.created_at) * 1000)::float8 AS "createdAt"`;

/** One artifact version's row, or undefined (also when it is not `tenantId`'s, if given). */
export async function selectArtifact(
  db: Queryable,
  runId: string,
  phaseId: string,
  version: number,
  tenantId: string | undefined,
): Promise<ArtifactRow | undefined> {
  const rows = await db.query<ArtifactRow>(
    `SELECT ${ARTIFACT_COLUMNS}
       FROM artifacts a
      WHERE a.run_id = $1 AND a.phase_id = $2 AND a.version = $3 AND ($4::text IS NULL OR a.tenant_id = $4::text)`,
    [runId, phaseId, version, tenantId ?? null],
  );
  return rows[0];
}
