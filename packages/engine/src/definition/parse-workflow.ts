/**
 * Workflow files (YAML or JSON text) to normalised definitions.
 */
import { validateWorkflow, type ValidateWorkflowOptions, type WorkflowResult } from './validate-workflow.js';
import { parseSourceText } from './source-text.js';

/** Options of {@link parseWorkflow}. */
export interface ParseWorkflowOptions extends ValidateWorkflowOptions {
  /** Name used in syntax-error paths (`release.yaml:3:5`); `.json` selects strict JSON. Default `workflow`. */
  readonly fileName?: string;
}

/**
 * Parses a workflow file's text (JSON when `fileName` ends with `.json`, otherwise YAML, which
 * also reads JSON) and validates it with
 * {@link validateWorkflow}. Syntax errors are reported with `fileName:line:column` paths and stop
 * there; otherwise every validation problem is reported at once. Never throws on bad input.
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): WorkflowResult {
  const parsed = parseSourceText(text, options.fileName ?? 'workflow');
  if (!parsed.ok) return parsed;
  return validateWorkflow(parsed.value, options);
}
