import type { ArtifactRef } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Stores an artifact version's content (UTF-8 bytes of `text`). */
export async function insertArtifact(
  db: Queryable,
  runId: string,
  phaseId: string,
  artifact: ArtifactRef,
  text: string,
  now: number,
): Promise<void> {
  await db.query(
    `INSERT INTO artifacts (run_id, phase_id, attempt, version, media_type, size, sha256, content, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9 / 1000.0))`,
    [
      runId,
      phaseId,
      artifact.attempt,
      artifact.version,
      artifact.mediaType,
      artifact.size,
      artifact.sha256,
      Buffer.from(text, 'utf8'),
      now,
    ],
  );
}
