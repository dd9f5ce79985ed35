import {
  formatProblems,
  validateJson,
  type ClaimedTask,
  type EarlierAttempt,
  type PhaseError,
  type PhaseTask,
  type UpstreamOutput,
} from '@baton/engine';
import type { ArtifactReader } from './artifact-cache.js';

/**
 * Assembles what a handler needs for a claimed attempt: the run's inputs, the accepted outputs of
 * the phases it needs (skipped ones are absent), and its earlier attempts with their outputs,
 * errors and feedback. Checks the phase's `input` schema; a mismatch is returned as an error
 * (retrying cannot fix it).
 */
export async function buildPhaseTask(
  read: ArtifactReader,
  claimed: ClaimedTask,
): Promise<{ ok: true; task: PhaseTask } | { ok: false; error: PhaseError }> {
  const { state, phaseId, attempt } = claimed;
  const phase = state.workflow.phases.find((p) => p.id === phaseId);
  const phaseState = state.phases[phaseId];
  if (phase === undefined || phaseState === undefined) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `run ${state.runId} has no phase "${phaseId}"` },
    };
  }

  const upstream: UpstreamOutput[] = [];
  for (const need of phase.needs) {
    const ref = state.phases[need]?.output;
    const status = state.phases[need]?.status;
    // An output in review reaches only the phases of its review loop, which are the ones that run.
    if ((status !== 'completed' && status !== 'in_review') || ref === undefined) continue;
    const artifact = await read(state.runId, need, ref.version);
    if (artifact === undefined) {
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `artifact v${ref.version} of "${need}" is missing from the store`,
        },
      };
    }
    upstream.push({ phaseId: need, mediaType: artifact.mediaType, content: artifact.content });
  }

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
    });
  }
  const feedback = phaseState.attempts.find((a) => a.attempt === attempt)?.feedback;
  const reviewed = phase.reviews === undefined ? undefined : state.phases[phase.reviews];
  const reviewedFeedback = reviewed?.attempts.find((a) => a.attempt === reviewed.attempt)?.feedback;

  if (phase.input !== undefined) {
    const received: Record<string, unknown> = {};
    for (const item of upstream) received[item.phaseId] = parseContent(item);
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
      runId: state.runId,
      phaseId,
      attempt,
      phase,
      workflow: state.workflow,
      fixtures: state.fixtures,
      runInputs: state.inputs,
      upstream,
      earlier,
      ...(feedback === undefined ? {} : { feedback }),
      ...(reviewedFeedback === undefined ? {} : { reviewedFeedback }),
    },
  };
}

function parseContent(output: UpstreamOutput): unknown {
  if (output.mediaType !== 'application/json') return output.content;
  try {
    return JSON.parse(output.content) as unknown;
  } catch {
    return output.content;
  }
}
