export * from './types.js';
export * from './errors.js';
export * from './phase-codes.js';
export type * from './ports/run-store.js';
export type * from './ports/phase-handler.js';
export type * from './ports/builtin-step.js';
export type * from './ports/clock.js';
export * from './ports/model-calls.js';
export { shrinkProgress } from './ports/progress.js';
export { deleteRefusal } from './ports/delete-run.js';
export * from './run/index.js';
export * from './definition/index.js';
export {
  compileSchema,
  validateJson,
  validateRunInputs,
  type RunInputsResult,
} from './schema/json-schema.js';
export { DEFAULT_LEASE_MS, LOCAL_TENANT } from './ports/run-store.js';
export type { BlobEntry, BlobStore } from './ports/blob-store.js';
export { blobKey, parseBlobKey } from './ports/blob-store.js';
