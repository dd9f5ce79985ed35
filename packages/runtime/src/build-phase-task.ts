import {
  effectiveBudgets,
  formatProblems,
  instanceId,
  validateJson,
  type ClaimedTask,
  type EarlierAttempt,
  type JsonValue,
  type MapTaskStage,
  type PhaseDefinition,
  type PhaseError,
  type PhaseTask,
  type RunState,
  type UpstreamOutput,
} from '@baton/engine';
import type { ArtifactReader } from './artifact-cache.js';
import { decodeOutput } from './output-payload.js';

/**
 * Assembles what a handler needs for a claimed attempt: the run's inputs, the accepted outputs of
 * the phases it needs (skipped ones are absent), and its earlier attempts with their outputs,
 * errors and feedback. Checks the phase's `input` schema; a mismatch is returned as an error
 * (retrying cannot fix it). A map's attempt gets its stage instead (the items to read, or the
 * outputs to collect); a map's instance gets its element.
 */
export async function buildPhaseTask(
  read: ArtifactReader,
  claimed: ClaimedTask,
): Promise<{ ok: true; task: PhaseTask } | { ok: false; error: PhaseError }> {
  const { state, phaseId, attempt } = claimed;
  const phase = state.definitions[phaseId];
  const phaseState = state.phases[phaseId];
  if (phase === undefined || phaseState === undefined) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `run ${state.runId} has no phase "${phaseId}"` },
    };
  }

  const base = {
    runId: state.runId,
    phaseId,
    attempt,
    phase,
    workflow: state.workflow,
    fixtures: state.fixtures,
    runInputs: state.inputs,
  };
  if (phase.map !== undefined) {
    const stage = await mapStage(read, state, phase);
    if (!stage.ok) return stage;
    return { ok: true, task: { ...base, upstream: [], earlier: [], map: stage.stage } };
  }

  const upstream: UpstreamOutput[] = [];
  for (const need of phase.needs) {
    // An output in review reaches only the phases of its review loop, which are the ones that run.
    const output = await readOutput(read, state, need, ['completed', 'in_review']);
    if (output !== undefined && 'code' in output) return { ok: false, error: output };
    if (output !== undefined) upstream.push(output);
  }
  const item = phase.instanceOf === undefined ? undefined : elementOf(state, phase, upstream);
  if (item !== undefined && 'code' in item) return { ok: false, error: item };

  const earlier: EarlierAttempt[] = [];
  for (const previous of phaseState.attempts) {
    if (previous.attempt >= attempt) continue;
    const stored =
      previous.version === undefined ? undefined : await read(state.runId, phaseId, previous.version);
    earlier.push({
      attempt: previous.attempt,
      ...(stored === undefined ? {} : { output: stored.content }),
      ...(previous.error === undefined ? {} : { error: previous.error }),
      ...(previous.feedback === undefined ? {} : { feedback: previous.feedback }),
      ...(previous.suspended === undefined ? {} : { suspended: previous.suspended }),
    });
  }
  const feedback = phaseState.attempts.find((a) => a.attempt === attempt)?.feedback;
  const reviewed = phase.reviews === undefined ? undefined : state.phases[phase.reviews];
  const reviewedFeedback = reviewed?.attempts.find((a) => a.attempt === reviewed.attempt)?.feedback;

  if (phase.input !== undefined) {
    const received: Record<string, unknown> = {};
    for (const item of upstream) received[item.phaseId] = decodeOutput(item.mediaType, item.content);
    const problems = validateJson(phase.input, received);
    if (problems.length > 0) {
      return {
        ok: false,
        error: {
          code: 'INPUT_SCHEMA',
          message: `the inputs of "${phaseId}" do not match its input schema: ${formatProblems(problems)}`,
        },
      };
    }
  }

  return {
    ok: true,
    task: {
      ...base,
      upstream,
      earlier,
      ...(feedback === undefined ? {} : { feedback }),
      ...(reviewedFeedback === undefined ? {} : { reviewedFeedback }),
      ...(item === undefined ? {} : { item }),
      ...(phase.kind === 'agent' ? budgetsOf(state, phaseId) : {}),
    },
  };
}

/** The budgets in force for an agent phase's attempt, when there are any. */
function budgetsOf(state: RunState, phaseId: string): Pick<PhaseTask, 'budgets'> {
  const budgets = effectiveBudgets(state, phaseId);
  return budgets.run === undefined && budgets.phase === undefined ? {} : { budgets };
}

/** The accepted output of a phase in one of `statuses`, read from the store; absent otherwise. */
async function readOutput(
  read: ArtifactReader,
  state: RunState,
  phaseId: string,
  statuses: readonly string[],
): Promise<UpstreamOutput | PhaseError | undefined> {
  const phase = state.phases[phaseId];
  const ref = phase?.output;
  if (phase === undefined || ref === undefined || !statuses.includes(phase.status)) return undefined;
  const artifact = await read(state.runId, phaseId, ref.version);
  if (artifact === undefined) {
    return {
      code: 'INTERNAL',
      message: `artifact v${ref.version} of "${phaseId}" is missing from the store`,
    };
  }
  return { phaseId, mediaType: artifact.mediaType, content: artifact.content };
}

/**
 * A map's attempt: before it expanded, read the items (the output of `over`); after, collect the
 * `collect` instance of every element (`null` for one that was skipped or has no output).
 */
async function mapStage(
  read: ArtifactReader,
  state: RunState,
  map: PhaseDefinition,
): Promise<{ ok: true; stage: MapTaskStage } | { ok: false; error: PhaseError }> {
  const spec = map.map!;
  const expansion = state.phases[map.id]?.expansion;
  if (expansion === undefined) {
    const items = await readOutput(read, state, spec.over, ['completed']);
    if (items === undefined) {
      return {
        ok: false,
        error: {
          code: 'MAP_NOT_ARRAY',
          message: `"${map.id}" maps over "${spec.over}", which has no output (it was ${state.phases[spec.over]?.status ?? 'not run'})`,
        },
      };
    }
    if ('code' in items) return { ok: false, error: items };
    return { ok: true, stage: { stage: 'expand', items } };
  }
  const parts: (UpstreamOutput | null)[] = [];
  for (let index = 0; index < expansion.elements.length; index++) {
    const part = await readOutput(read, state, instanceId(map.id, index, spec.collect), ['completed']);
    if (part !== undefined && 'code' in part) return { ok: false, error: part };
    parts.push(part ?? null);
  }
  return { ok: true, stage: { stage: 'collect', parts } };
}

/** A map instance's element: `over`'s output (among its inputs) at the instance's index. */
function elementOf(
  state: RunState,
  phase: PhaseDefinition,
  upstream: readonly UpstreamOutput[],
): { index: number; value: JsonValue } | PhaseError {
  const { map, index } = phase.instanceOf!;
  const over = state.definitions[map]?.map?.over;
  const items = upstream.find((output) => output.phaseId === over);
  const value = items === undefined ? undefined : decodeOutput(items.mediaType, items.content);
  if (!Array.isArray(value) || index >= value.length) {
    return {
      code: 'INTERNAL',
      message: `element ${index} of "${map}" is missing from the output of "${over ?? '?'}"`,
    };
  }
  return { index, value: value[index] as JsonValue };
}
