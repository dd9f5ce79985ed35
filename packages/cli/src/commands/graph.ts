import { BatonError, ErrorCode, formatProblems } from '@baton/engine';
import { mermaidGraph } from '@baton/workflows';
import { ExitCode } from '../exit-code.js';
import { loadWorkflowArgument } from '../workflow-argument.js';

/**
 * `baton graph WORKFLOW`: the phase graph of a workflow file or a built-in as a Mermaid flowchart
 * on stdout (the diagrams of docs/workflows/ are this output).
 */
export async function graphWorkflow(argument: string): Promise<ExitCode> {
  const { label, result } = await loadWorkflowArgument(argument);
  if (!result.ok) {
    throw new BatonError(
      ErrorCode.invalidDefinition,
      `${label} is not a valid workflow:\n${formatProblems(result.problems)}`,
      { problems: result.problems },
    );
  }
  process.stdout.write(`${mermaidGraph(result.loaded.workflow)}\n`);
  return ExitCode.completed;
}
