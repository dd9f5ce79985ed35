/**
 * `@baton/runtime`: what carries out the engine's commands — phase handlers (tool, scripted agent),
 * their workspaces, output payloads, and the `$BATON_HOME` lock.
 */
export { createToolHandler, defaultKillGraceMs, defaultMaxOutputBytes } from './handlers/tool-handler.js';
export type { ToolHandlerOptions } from './handlers/tool-handler.js';
export {
  HOST_TOOL_VARIABLES,
  hostToolEnvironment,
  inheritedToolEnvironment,
  toolEnvNameProblem,
} from './tool-environment.js';
export { createScriptedHandler, scriptedAgent } from './handlers/scripted-handler.js';
export { findFixtureEntry, type FixtureEntryLookup } from './handlers/fixture-entry.js';
export { createHandlerRegistry } from './phase-handlers.js';
export type { AgentPhaseHandler, HandlerRegistry } from './phase-handlers.js';
export { phaseEnvironment, preparePhaseWorkspace } from './phase-workspace.js';
export type { PhaseWorkspace, PhaseWorkspaceOptions } from './phase-workspace.js';
export {
  classifyOutput,
  decodeOutput,
  createOutputPayload,
  jsonMediaType,
  jsonPayload,
  textMediaType,
} from './output-payload.js';
export type { OutputPayloadOptions } from './output-payload.js';
export { abortedResult, phaseFailure } from './phase-results.js';
export { runProcessGroup, StopReason } from './process-group.js';
export type { ProcessGroupOptions, ProcessGroupResult } from './process-group.js';
export { acquireHomeLock, homeLockFile } from './home-lock.js';
export { isRuntimeError, RuntimeError, RuntimeErrorCode } from './runtime-error.js';
export { homeBusyError, type OneRunHolder } from './home-busy.js';
export type { HomeLock } from './home-lock.js';
export {
  createAttemptProcesses,
  StopOutcome,
  type AttemptProcesses,
  type AttemptProcessesOptions,
  type AttemptProcessRecord,
} from './attempt-processes.js';
export {
  probeProcess,
  processExists,
  sameProcess,
  type ProcessIdentity,
  type ProcessProbe,
} from './process-identity.js';
export { formatDuration } from './format-duration.js';
export { decodeText } from './text-file.js';
export {
  RunDriver,
  type RunDriverOptions,
  type DriveOutcome,
  type DriveOptions,
  type HandlerLookup,
} from './run-driver.js';
export { buildPhaseTask } from './build-phase-task.js';
export {
  loadWorkflowFile,
  loadWorkflowText,
  type LoadedWorkflow,
  type LoadWorkflowOptions,
  type LoadWorkflowResult,
  type LoadWorkflowTextOptions,
} from './load-workflow.js';
export { systemClock } from './system-clock.js';
export { createDefaultHandlers } from './default-handlers.js';
export {
  artifactField,
  buildSnapshot,
  buildSnapshotWithUsage,
  decisionFeedback,
  shownVersion,
  storeOutputs,
  type OutputReader,
  type PhaseSnapshot,
  type RunReader,
  type RunSnapshot,
  type UsageSnapshot,
} from './snapshot/build-snapshot.js';
export { runRequestInput, type DecisionRequestKind, type RunRequest } from './run-requests/run-request.js';
export {
  checkChangedInputs,
  checkRunInputs,
  inputsOrThrow,
  invalidRunInputs,
} from './run-requests/run-inputs-check.js';
export { forkCreateInput, type ForkCreateInput, type ForkRequest } from './run-requests/fork-input.js';
export { newRunId } from './run-requests/new-run-id.js';
