/**
 * Workflow definitions: parsing (YAML/JSON), validation, normalisation, the typed builder, graph
 * helpers and fixtures files.
 */
export { parseDuration, formatDuration, type DurationResult } from './duration.js';
export { findCycles, type FindCyclesOptions } from './find-cycles.js';
export type { PhaseNode } from './phase-graph.js';
export {
  parseFixtures,
  validateFixtures,
  type FixturesResult,
  type ParseFixturesOptions,
  type ValidateFixturesOptions,
} from './parse-fixtures.js';
export { INLINE_FIXTURES_PREFIX, inlineFixturesKey, isInlineFixturesKey } from './inline-fixtures.js';
export { parseWorkflow, type ParseWorkflowOptions } from './parse-workflow.js';
export type { SourceFormat } from './source-text.js';
export { printable } from './printable.js';
export {
  DEFAULT_AGENTS,
  DEFAULT_ON_FAILURE,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  MAX_ATTEMPTS_LIMIT,
  MAX_DURATION_MS,
  MAX_ID_LENGTH,
  MAX_PHASES,
  PHASE_ID_PATTERN,
  SCRIPTED_AGENT,
  WORKFLOW_ID_PATTERN,
} from './rules.js';
export { editDistance, suggest } from './suggest.js';
export { instanceId } from './validate-map.js';
export { checkModelSetting } from './validate-agents.js';
export { topologicalOrder } from './topological-order.js';
export { validateWorkflow, type ValidateWorkflowOptions, type WorkflowResult } from './validate-workflow.js';
export {
  workflow,
  type AgentPhaseOptions,
  type BuiltinPhaseOptions,
  type HumanPhaseOptions,
  type NewPhaseId,
  type PhaseOptions,
  type RetryOptions,
  type ToolPhaseOptions,
  type WorkflowBuilder,
  type WorkflowOptions,
} from './workflow-builder.js';
