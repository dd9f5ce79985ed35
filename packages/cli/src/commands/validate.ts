import { formatProblems } from '@baton/engine';
import { ExitCode } from '../exit-code.js';
import { loadWorkflowArgument } from '../workflow-argument.js';

/**
 * `baton validate WORKFLOW`: reports every problem of a workflow file (or checks a built-in by
 * name), or a one-line summary.
 */
export async function validateFile(argument: string): Promise<ExitCode> {
  const { label, result } = await loadWorkflowArgument(argument);
  if (!result.ok) {
    const n = result.problems.length;
    process.stderr.write(`${label}: ${n} problem${n === 1 ? '' : 's'}\n${formatProblems(result.problems)}\n`);
    return ExitCode.badInput;
  }
  const { workflow } = result.loaded;
  const gates = workflow.phases.filter((p) => p.gate || p.kind === 'human').length;
  process.stdout.write(
    `${label}: ok — workflow "${workflow.id}" v${workflow.version}, ${workflow.phases.length} phases${gates > 0 ? `, ${gates} waiting for a person` : ''}\n`,
  );
  return ExitCode.completed;
}
