/**
 * `@baton/workflows`: the built-in workflows, each a directory `builtins/<name>/` holding
 * `workflow.yaml` and its offline `fixtures.yaml`, and the `builtin` steps they run.
 */
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
export { inlineFixturesYaml } from './inline-fixtures-yaml.js';
export { mermaidGraph } from './mermaid-graph.js';
export { builtinSteps } from './steps/index.js';
