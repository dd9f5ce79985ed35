import { formatProblems } from '@baton/engine';
import { loadWorkflowFile } from '@baton/runtime';
import { cliBuiltinSteps } from '../builtin-steps.js';
import { ExitCode } from '../exit-codes.js';

/** `baton validate FILE`: reports every problem of a workflow file, or a one-line summary. */
export async function validateFile(file: string): Promise<ExitCode> {
  const result = await loadWorkflowFile(file, { builtinSteps: cliBuiltinSteps() });
  if (!result.ok) {
    const n = result.problems.length;
    process.stderr.write(`${file}: ${n} problem${n === 1 ? '' : 's'}\n${formatProblems(result.problems)}\n`);
    return ExitCode.badInput;
  }
  const { workflow } = result.loaded;
  const gates = workflow.phases.filter((p) => p.gate || p.kind === 'human').length;
  process.stdout.write(
    `${file}: ok — workflow "${workflow.id}" v${workflow.version}, ${workflow.phases.length} phases${gates > 0 ? `, ${gates} waiting for a person` : ''}\n`,
  );
  return ExitCode.completed;
}
