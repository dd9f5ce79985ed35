export { createInMemoryRunStore } from './in-memory-run-store.js';
export {
  runStoreContract,
  type RunStoreContractOpenOptions,
  type RunStoreContractOptions,
} from './run-store-contract.js';
export { testJsonPayload, testPayload, testPhase, testWorkflow } from './workflow-fixtures.js';
export { recordingAttemptContext, type RecordingAttemptContext } from './recording-attempt-context.js';
