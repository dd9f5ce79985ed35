export { createInMemoryRunStore } from './in-memory-run-store.js';
export { runStoreContract } from './run-store-contract.js';
export type { RunStoreContractOpenOptions, RunStoreContractOptions } from './contract-options.js';
export { testJsonPayload, testPayload, testPhase, testWorkflow } from './workflow-fixtures.js';
export { recordingAttemptContext, type RecordingAttemptContext } from './recording-attempt-context.js';
export { blobStoreContract, type BlobStoreContractOptions } from './blob-store-contract.js';
export { createInMemoryBlobStore, type InMemoryBlobStoreOptions } from './in-memory-blob-store.js';
