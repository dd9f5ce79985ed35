/**
 * `@baton/workflows`: the built-in workflows, each a directory `builtins/<name>/` holding
 * `workflow.yaml` and its offline `fixtures.yaml`, and the `builtin` steps they run.
 */
import type { BuiltinSteps } from '@baton/engine';

export { BUILTINS_DIR } from './builtins-dir.js';
export {
  builtinNames,
  describeBuiltins,
  exportBuiltin,
  listBuiltins,
  loadBuiltin,
  type BuiltinOptions,
  type BuiltinSummary,
} from './registry.js';
export { isWorkflowsError, WorkflowsError, WorkflowsErrorCode } from './workflows-error.js';
export { mermaidGraph } from './mermaid-graph.js';

/**
 * The builtin steps `kind: builtin` phases run (`run: NAME`), by name; each key is its step's
 * `name`. The CLI and `baton serve` pass them to the runtime's builtin handler and to workflow
 * validation.
 */
export const builtinSteps: BuiltinSteps = {};
