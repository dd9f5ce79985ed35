/**
 * `baton run … --submit PHASE=FILE`: the review a submission would get first in the run, made
 * before the run exists. When the human phase's reviewer is a `builtin` phase whose step this
 * process runs and which needs nothing but that phase (the `ui-variants` workflow's `baseline`
 * reviewing `context`), the step reads the answer exactly as it would in the run — in-process,
 * deterministic, cheap — and a `revise` or `fail` verdict refuses the flag with its findings, so a
 * wrong file stores nothing. Anything else (no such reviewer, a step that needs more, fails or
 * throws, an approval) leaves the answer to the run, whose review loop sends it back to the
 * person with the same findings.
 */
import {
  validateJson,
  type BuiltinSteps,
  type JsonValue,
  type PhaseDefinition,
  type WorkflowDefinition,
} from '@baton/engine';

/** The reviewer this process can run up front for `phaseId`'s submission, or undefined. */
function upFrontReviewer(
  workflow: WorkflowDefinition,
  phaseId: string,
  steps: BuiltinSteps,
): PhaseDefinition | undefined {
  const reviewer = workflow.phases.find((phase) => phase.reviews === phaseId);
  if (reviewer?.kind !== 'builtin' || reviewer.run === undefined) return undefined;
  if (reviewer.needs.length !== 1 || reviewer.needs[0] !== phaseId) return undefined;
  return Object.hasOwn(steps, reviewer.run) ? reviewer : undefined;
}

/**
 * The findings that would send `value` (the answer of human phase `phaseId`) back, as
 * `reviewer: message` lines; an empty list when it passes or cannot be checked here.
 */
export async function reviewSubmission(
  workflow: WorkflowDefinition,
  phaseId: string,
  value: JsonValue,
  steps: BuiltinSteps,
  runInputs: Readonly<Record<string, JsonValue>>,
): Promise<{ reviewer: string; findings: string[] } | undefined> {
  const reviewer = upFrontReviewer(workflow, phaseId, steps);
  if (reviewer === undefined) return undefined;
  const step = steps[reviewer.run!]!;
  const inputs = { [phaseId]: value };
  if (step.input !== undefined && validateJson(step.input, inputs).length > 0) return undefined;
  let result;
  try {
    result = await step.run(inputs, {
      runId: '(not started)',
      phaseId: reviewer.id,
      attempt: 1,
      runInputs,
      needs: reviewer.needs,
      signal: new AbortController().signal,
      readBlob: () => Promise.resolve(undefined),
    });
  } catch {
    return undefined; // the run's attempt will fail with the step's error, where a person sees it
  }
  if (!result.ok || typeof result.output !== 'object' || result.output === null) return undefined;
  const { verdict, findings } = result.output as { verdict?: unknown; findings?: unknown };
  if (verdict !== 'revise' && verdict !== 'fail') return undefined;
  const messages: string[] = [];
  if (Array.isArray(findings))
    for (const finding of findings as unknown[]) {
      const message = (finding as { message?: unknown } | null)?.message;
      if (typeof message === 'string') messages.push(message);
    }
  return { reviewer: reviewer.id, findings: messages.length > 0 ? messages : [`verdict: ${verdict}`] };
}
