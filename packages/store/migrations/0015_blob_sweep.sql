-- Baton store, version 15: what the blob sweep reads (`src/blobs/blob-sweep.ts`), which frees the
-- file contents and blob-store files that no row names any more once their runs are deleted.
--
-- `blobs.created_at` now means when a write last relied on the row: a step that stores a file the
-- tenant already has sets it (instead of leaving the row as it was), and so does a fork whose
-- copied trees name the row. The sweep deletes only rows whose time is past its grace period.
-- The column has no index, and gets none: setting it stays a HOT update.
--
-- A tenant's file-tree manifests, which the sweep reads page by page to learn which file contents
-- are named: a partial index, so only tree versions pay for it (one entry per version).
CREATE INDEX artifacts_tree_idx ON artifacts (tenant_id, run_id, phase_id, version)
  WHERE media_type = 'application/vnd.baton.file-tree+json';

-- Whether a row names a blob-store file, asked for each file the sweep finds old enough to free.
-- Partial: only rows whose content is in the blob store (above the threshold) have an entry.
CREATE INDEX artifacts_blob_key_idx ON artifacts (blob_key) WHERE blob_key IS NOT NULL;
CREATE INDEX blobs_blob_key_idx ON blobs (blob_key) WHERE blob_key IS NOT NULL;
