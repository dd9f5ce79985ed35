import type { StoredArtifact } from '@baton/engine';
import type { Queryable } from '../db.js';

/** An artifact row as the drivers return it. */
export interface ArtifactRow extends Omit<StoredArtifact, 'content'> {
  /** `Buffer` from `pg`, `Uint8Array` from PGlite. */
  readonly content: Uint8Array;
}

/** The columns of an {@link ArtifactRow}, of the table aliased `a`. */
export const ARTIFACT_COLUMNS = `a.run_id AS "runId", a.phase_id AS "phaseId", a.attempt, a.version,
            a.media_type AS "mediaType", a.size, a.sha256, a.content,
            round(extract(epoch FROM a.created_at) * 1000)::float8 AS "createdAt"`;

/** The stored artifact of a row: its content decoded as UTF-8. */
export function artifactOfRow(row: ArtifactRow): StoredArtifact {
  const bytes = Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength);
  return { ...row, content: bytes.toString('utf8') };
}

/** One artifact version with its content, or undefined (also when it is not `tenantId`'s, if given). */
export async function selectArtifact(
  db: Queryable,
  runId: string,
  phaseId: string,
  version: number,
  tenantId: string | undefined,
): Promise<StoredArtifact | undefined> {
  const rows = await db.query<ArtifactRow>(
    `SELECT ${ARTIFACT_COLUMNS}
       FROM artifacts a
      WHERE a.run_id = $1 AND a.phase_id = $2 AND a.version = $3 AND ($4::text IS NULL OR a.tenant_id = $4::text)`,
    [runId, phaseId, version, tenantId ?? null],
  );
  const row = rows[0];
  return row === undefined ? undefined : artifactOfRow(row);
}
