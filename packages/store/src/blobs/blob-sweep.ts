/**
 * The blob sweep: frees the large contents no row names any more — what deleting runs leaves
 * behind (docs/engine.md, "Where contents live"). Deleting a run deletes its artifacts, but file
 * contents (`blobs` rows, shared by every tree of the tenant that has the file) and blob-store
 * files (shared by every row of the tenant with that content) outlive it. Per tenant, it removes:
 *
 * 1. **rows** of `blobs` that no file-tree manifest of the tenant names, last relied on
 *    (`created_at`) before `now − grace`;
 * 2. **files** of the blob store last put before `now − grace` that no row names
 *    (`artifacts.blob_key`, `blobs.blob_key`) — the contents of deleted artifacts, of the rows
 *    step 1 deleted, and of writes that failed after their put.
 *
 * How references are found: every manifest of the tenant is read, page by page
 * (`artifacts_tree_idx`), through the store's own {@link ContentPlacement} — so a manifest that is
 * itself in the blob store (above the threshold) is read like any other — and the hashes it names
 * are gathered in memory (about 100 bytes per distinct file of the tenant). The alternatives are
 * worse: SQL over `convert_from(content, 'UTF8')::jsonb` cannot read a manifest in the blob store
 * and refuses a `\u0000` a tree's summary may hold; a reference table kept on write would add a
 * row per file (up to 1,000) to every tree a step stores, to serve a sweep that runs hourly. The
 * cost is the sweep's: each one reads every tree manifest once.
 *
 * Why it never removes what a committing write relies on — the grace period and these rules:
 *
 * - **Files.** A write puts a content in the blob store before it commits the row naming it, and a
 *   put of a key that exists counts as a put (`BlobStore.put`). The sweep skips files put since
 *   `now − grace`, asks the database which of the others a row names, and removes the rest only
 *   through `deleteIfPutBefore(key, now − grace)`: a put since then (a write about to name the
 *   file) keeps it, and a put after the removal stores it again. What this relies on: a write
 *   commits within the grace period of its put (the put comes right before the statement; an hour
 *   is far more than any write takes), and the clocks of the processes sharing the blob directory
 *   agree to well within it. The filesystem adapter renames a file aside to remove it and puts it
 *   back when a put raced it: a read at that very instant fails with `BLOB_MISSING`.
 * - **Rows a write stores.** A step that stores a file the tenant has already sets the row's
 *   `created_at` to its time (`INSERT … ON CONFLICT DO UPDATE`, `sql/write-step.ts`), and so
 *   locks it. Checking "is it named" in the DELETE's own statement would not do: the write's
 *   manifest is not committed yet, so no snapshot shows it. The time does: the DELETE locks its
 *   rows first (`FOR UPDATE`, in hash order, as writes take them), and READ COMMITTED re-checks its
 *   WHERE on a row a concurrent write updated — whose time is new, so it stays. When the DELETE
 *   wins, the write's INSERT waits for it and inserts the row anew (with a content it has).
 * - **Rows a write names without storing them.** A later attempt's tree names the files of the
 *   phase's earlier tree that it did not change. Those are named by the earlier manifest of the
 *   same run, committed before the write read it: it is removed only with its run, and a write to
 *   a deleted run writes nothing. So a row such a write relies on is either new (the write that
 *   first stored it set its time within the grace) or named by a manifest committed before the
 *   sweep began, which the sweep reads. A **fork** copies trees from another run, which may be
 *   deleted meanwhile: it sets the rows' time in its own transaction, locking them, and is refused
 *   when one is gone (`run-store/create-run.ts`, `sql/touch-blobs.ts`).
 * - A manifest the sweep cannot read (not a manifest; in a blob store this process lacks) might
 *   name anything: that tenant's rows are left alone and the tenant is reported (`skipped`).
 *
 * Several sweeps (servers) may run at once: each DELETE and each removal is idempotent, and a row
 * or file another sweep removed first is simply not counted.
 */
import { isStoreError } from '../store-error.js';
import type { Queryable } from '../db.js';
import { deleteUnnamedBlobs } from '../sql/delete-unnamed-blobs.js';
import { selectNamedBlobKeys } from '../sql/select-named-blob-keys.js';
import { selectOldBlobs } from '../sql/select-old-blobs.js';
import { selectTenantIds } from '../sql/select-tenant-ids.js';
import { FIRST_MANIFEST, selectTreeManifests, type ManifestPosition } from '../sql/select-tree-manifests.js';
import { ContentPlacement, type StoreBlobsOptions } from './content-placement.js';
import { treeHashes } from './tree-hashes.js';

/** How long a content must have been left alone before the sweep may free it: an hour. */
export const DEFAULT_BLOB_GRACE_MS = 60 * 60 * 1000;

const MANIFEST_PAGE = 100;
const ROW_PAGE = 1000;
const FILE_BATCH = 500;

/** Options of {@link sweepBlobs}. */
export interface BlobSweepOptions {
  /**
   * The blob store the processes on this database share (as the run store's `blobs`). Without
   * one, only rows are swept, and a tenant with a manifest in a blob store is skipped.
   */
  readonly blobs?: StoreBlobsOptions;
  /** What "now" is (epoch ms). */
  readonly now: number;
  /** Only what was left alone for longer than this is freed (default {@link DEFAULT_BLOB_GRACE_MS}). */
  readonly graceMs?: number;
  /** Only this tenant's rows and files (after one of its runs was deleted); default every tenant's. */
  readonly tenantId?: string;
}

/** What one sweep freed. */
export interface BlobSweepResult {
  /** `blobs` rows deleted. */
  readonly rows: number;
  /** The bytes of those rows whose content was in the database (the others' are files, below). */
  readonly rowBytes: number;
  /** Blob-store files removed. */
  readonly files: number;
  readonly fileBytes: number;
  /** Tenants whose rows were left alone, and why (a manifest this process cannot read). */
  readonly skipped: readonly { readonly tenantId: string; readonly reason: string }[];
}

/**
 * Sweeps what no row names (see the module's comment) and says what it freed. Fails (rejects)
 * when the database or the blob store does; what it freed before stays freed.
 */
export async function sweepBlobs(db: Queryable, options: BlobSweepOptions): Promise<BlobSweepResult> {
  const before = options.now - (options.graceMs ?? DEFAULT_BLOB_GRACE_MS);
  const contents = new ContentPlacement(options.blobs);
  const tenants = options.tenantId === undefined ? await selectTenantIds(db) : [options.tenantId];
  let rows = 0;
  let rowBytes = 0;
  const skipped: { tenantId: string; reason: string }[] = [];
  for (const tenantId of tenants) {
    const named = await namedHashes(db, contents, tenantId);
    if (typeof named === 'string') {
      skipped.push({ tenantId, reason: named });
      continue;
    }
    for (const deleted of await deleteUnnamedRows(db, tenantId, named, before)) {
      rows += 1;
      if (deleted.blobKey === null) rowBytes += deleted.size;
    }
  }
  const files =
    options.blobs === undefined
      ? { files: 0, fileBytes: 0 }
      : await sweepFiles(db, options.blobs, options.tenantId, before);
  return { rows, rowBytes, ...files, skipped };
}

/** Every hash a manifest of `tenantId` names, or why they cannot all be known. */
async function namedHashes(
  db: Queryable,
  contents: ContentPlacement,
  tenantId: string,
): Promise<Set<string> | string> {
  const named = new Set<string>();
  let after: ManifestPosition = FIRST_MANIFEST;
  for (;;) {
    const page = await selectTreeManifests(db, tenantId, after, MANIFEST_PAGE);
    for (const row of page) {
      const what = `the file tree of run ${row.runId}, phase "${row.phaseId}", version ${row.version}`;
      let text: string;
      try {
        text = await contents.read(row, what);
      } catch (error) {
        if (isStoreError(error, 'BLOB_MISSING')) return error.message;
        throw error;
      }
      const hashes = treeHashes(text);
      if (hashes === undefined) return `${what} is not a file-tree manifest`;
      for (const hash of hashes) named.add(hash);
    }
    const last = page.at(-1);
    if (last === undefined || page.length < MANIFEST_PAGE) return named;
    after = { runId: last.runId, phaseId: last.phaseId, version: last.version };
  }
}

/** Deletes `tenantId`'s rows last relied on before `before` that `named` lacks, page by page. */
async function deleteUnnamedRows(db: Queryable, tenantId: string, named: Set<string>, before: number) {
  const deleted = [];
  let after = '';
  for (;;) {
    const page = await selectOldBlobs(db, tenantId, before, after, ROW_PAGE);
    const unnamed = page.filter((sha256) => !named.has(sha256));
    deleted.push(...(await deleteUnnamedBlobs(db, tenantId, unnamed, before)));
    const last = page.at(-1);
    if (last === undefined || page.length < ROW_PAGE) return deleted;
    after = last;
  }
}

/** Removes the files put before `before` that no row names (all tenants', or `tenantId`'s). */
async function sweepFiles(
  db: Queryable,
  blobs: StoreBlobsOptions,
  tenantId: string | undefined,
  before: number,
): Promise<{ files: number; fileBytes: number }> {
  let files = 0;
  let fileBytes = 0;
  let batch: { key: string; size: number }[] = [];
  const flush = async (): Promise<void> => {
    const named = await selectNamedBlobKeys(
      db,
      batch.map((entry) => entry.key),
    );
    for (const entry of batch) {
      if (named.has(entry.key)) continue;
      if (await blobs.store.deleteIfPutBefore(entry.key, before)) {
        files += 1;
        fileBytes += entry.size;
      }
    }
    batch = [];
  };
  for await (const entry of blobs.store.list(tenantId)) {
    if (entry.putAt >= before) continue;
    batch.push(entry);
    if (batch.length >= FILE_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return { files, fileBytes };
}
