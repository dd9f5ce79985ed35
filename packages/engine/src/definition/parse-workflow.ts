/**
 * Workflow files (YAML or JSON text) to normalised definitions.
 */
import { validateWorkflow, type ValidateWorkflowOptions, type WorkflowResult } from './validate-workflow.js';
import { printableProblems } from './printable.js';
import { parseSourceText, type SourceFormat } from './source-text.js';

/** Options of {@link parseWorkflow}. */
export interface ParseWorkflowOptions extends ValidateWorkflowOptions {
  /** Name used in syntax-error paths (`release.yaml:3:5`); `.json` selects strict JSON. Default `workflow`. */
  readonly fileName?: string;
  /** `json`: strict JSON; `yaml`: YAML (which reads JSON too). Default: by `fileName`. */
  readonly format?: SourceFormat;
}

/**
 * Parses a workflow file's text (JSON when `format` is `json` or, without a format, `fileName`
 * ends with `.json`; otherwise YAML, which also reads JSON) and validates it with
 * {@link validateWorkflow}. Syntax errors are reported with `fileName:line:column` paths and stop
 * there; otherwise every validation problem is reported at once. Text from the file that a
 * problem quotes has its control characters escaped. Never throws on bad input.
 */
export function parseWorkflow(text: string, options: ParseWorkflowOptions = {}): WorkflowResult {
  const parsed = parseSourceText(text, options.fileName ?? 'workflow', options.format);
  const result = parsed.ok ? validateWorkflow(parsed.value, options) : parsed;
  return result.ok ? result : { ok: false, problems: printableProblems(result.problems) };
}
