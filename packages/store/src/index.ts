export type { Db, ListenOptions, Queryable, Transaction } from './db.js';
export { isStoreError, StoreError, StoreErrorCode } from './store-error.js';
export { openPgliteDb, createPgliteDb, type PgliteDbOptions } from './pglite-db.js';
export { openPostgresDb, createPostgresDb, type PostgresDbOptions } from './postgres-db.js';
export { migrate, loadMigrations, type Migration, type MigrateOptions } from './migrate.js';
export { type StoreHooks, type SqlRunStoreOptions, type StoreFallback } from './sql-run-store.js';
export { createSqlRunStore } from './sql-run-store.js';
export { openPgliteStore, type PgliteStoreOptions } from './open-pglite-store.js';
export { openPostgresStore, type PostgresStoreOptions } from './open-postgres-store.js';
export {
  createWorkflowCatalog,
  type CreateWorkflowResult,
  type NewWorkflowVersion,
  type WorkflowCatalogOptions,
  type WorkflowCatalogStore,
  type WorkflowListing,
  type WorkflowVersion,
} from './workflow-catalog.js';
export { redactUrl } from './redact-url.js';
export { createFilesystemBlobStore, type FilesystemBlobStoreOptions } from './blobs/filesystem-blob-store.js';
export { DEFAULT_BLOB_THRESHOLD, type StoreBlobsOptions } from './blobs/content-placement.js';
export {
  DEFAULT_BLOB_GRACE_MS,
  sweepBlobs,
  type BlobSweepOptions,
  type BlobSweepResult,
} from './blobs/blob-sweep.js';
export {
  createRunChanges,
  isAfter,
  FIRST_POSITION,
  type ChangePosition,
  type ChangedRun,
  type RunChange,
  type RunChanges,
} from './run-changes.js';
