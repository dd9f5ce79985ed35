import { FILE_TREE_MEDIA_TYPE } from '@baton/engine';
import type { ContentRow } from '../blobs/content-placement.js';
import type { Queryable } from '../db.js';

/** Where a page of {@link selectTreeManifests} ends: the next page starts after it. */
export interface ManifestPosition {
  readonly runId: string;
  readonly phaseId: string;
  readonly version: number;
}

/** The first position: before every artifact. */
export const FIRST_MANIFEST: ManifestPosition = { runId: '', phaseId: '', version: 0 };

/** One file-tree version: where it is, and its manifest (in the row or named in the blob store). */
export interface ManifestRow extends ManifestPosition, ContentRow {}

/**
 * A page of `tenantId`'s file-tree manifests — at most `limit`, after `after` in
 * (run, phase, version) order — for the blob sweep, which reads every one. Walks
 * `artifacts_tree_idx` (migration 0015: only file-tree versions are in it) from `after`, so a page
 * costs its own rows, not the tenant's other artifacts. The media type is in the text, not a
 * parameter, so the planner can match the index's predicate.
 */
export async function selectTreeManifests(
  db: Queryable,
  tenantId: string,
  after: ManifestPosition,
  limit: number,
): Promise<ManifestRow[]> {
  return db.query<ManifestRow>(
    `SELECT run_id AS "runId", phase_id AS "phaseId", version, content, blob_key AS "blobKey"
       FROM artifacts
      WHERE tenant_id = $1::text AND media_type = '${FILE_TREE_MEDIA_TYPE}'
        AND (tenant_id, run_id, phase_id, version) > ($1::text, $2::text, $3::text, $4::integer)
      ORDER BY tenant_id, run_id, phase_id, version
      LIMIT $5::integer`,
    [tenantId, after.runId, after.phaseId, after.version, limit],
  );
}
