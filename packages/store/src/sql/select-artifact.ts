import type { StoredArtifact } from '@baton/engine';
import type { Queryable } from '../db.js';

interface ArtifactRow extends Omit<StoredArtifact, 'content'> {
  /** `Buffer` from `pg`, `Uint8Array` from PGlite. */
  readonly content: Uint8Array;
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
    `SELECT run_id AS "runId", phase_id AS "phaseId", attempt, version, media_type AS "mediaType", size, sha256,
            content, round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt"
       FROM artifacts
      WHERE run_id = $1 AND phase_id = $2 AND version = $3 AND ($4::text IS NULL OR tenant_id = $4::text)`,
    [runId, phaseId, version, tenantId ?? null],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const bytes = Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength);
  return { ...row, content: bytes.toString('utf8') };
}
