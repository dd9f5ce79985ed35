-- Baton store, version 11: large contents off the database.
--
-- An artifact's content, or a file of a file tree, above the store's threshold (256 KiB by
-- default) lives in the blob store (`$BATON_HOME/blobs`, or the directory the processes on a
-- PostgreSQL share), not in its row: `blob_key` names it there (`<tenant>/<sha256>`) and `content`
-- is NULL. Below the threshold, or with no blob store configured, `content` holds it and
-- `blob_key` is NULL. The row keeps the hash, the size (and for artifacts the media type) either
-- way, so listings never open a blob. See docs/engine.md, "Where contents live".
--
-- The file contents (`blobs`) already carry their tenant and are keyed by (sha256, tenant_id)
-- since version 8; rows made before it belong to the local tenant.
--
-- The CHECKs are added NOT VALID: every existing row has its content (the columns were NOT NULL)
-- and no key, so there is nothing to validate, and a large table is not scanned under the lock.
-- New and updated rows are checked.

ALTER TABLE artifacts ALTER COLUMN content DROP NOT NULL;
ALTER TABLE artifacts ADD COLUMN blob_key text;
ALTER TABLE artifacts ADD CONSTRAINT artifacts_content_or_blob
  CHECK ((content IS NULL) = (blob_key IS NOT NULL)) NOT VALID;

ALTER TABLE blobs ALTER COLUMN content DROP NOT NULL;
ALTER TABLE blobs ADD COLUMN blob_key text;
ALTER TABLE blobs ADD CONSTRAINT blobs_content_or_blob
  CHECK ((content IS NULL) = (blob_key IS NOT NULL)) NOT VALID;
