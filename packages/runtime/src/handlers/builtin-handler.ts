import {
  formatProblems,
  validateJson,
  type AttemptContext,
  type BuiltinResult,
  type BuiltinStep,
  type BuiltinSteps,
  type JsonValue,
  type PhaseHandler,
  type PhaseResult,
  type PhaseTask,
} from '@baton/engine';
import { decodeOutput, jsonPayload } from '../output-payload.js';
import { abortedResult, phaseFailure } from '../phase-results.js';

/**
 * The handler of `builtin` phases: runs the step the phase names (`run`) in this process. The
 * inputs are the needed phases' accepted outputs by phase id (JSON parsed, text as a string, a
 * file tree as its manifest); the step's `input` schema is checked before it runs and its
 * `output` schema after (a mismatch of either is `INPUT_SCHEMA` / `OUTPUT_SCHEMA`, not
 * retryable: the step or the workflow must change). Its `ok: false` fails the attempt with its
 * code and message (retried only when it says `retryable`); a throw fails it as `BUILTIN_FAILED`
 * (retryable, per the phase's policy); a step this process does not have as `UNKNOWN_STEP`. The
 * abort signal ends the attempt at once (`ABORTED`), whatever the step is doing.
 *
 * Throws when a key of `steps` is not its step's `name` (a wiring bug).
 */
export function createBuiltinHandler(steps: BuiltinSteps = {}): PhaseHandler {
  for (const [key, step] of Object.entries(steps)) {
    if (step.name !== key) throw new Error(`builtin step "${step.name}" is registered as "${key}"`);
  }
  return {
    kind: 'builtin',
    async execute(task: PhaseTask, signal: AbortSignal, context: AttemptContext): Promise<PhaseResult> {
      const name = task.phase.run ?? '';
      const step = Object.hasOwn(steps, name) ? steps[name] : undefined;
      if (step === undefined) return unknownStep(task, name, Object.keys(steps));
      if (signal.aborted) return abortedResult(signal);

      const inputs: Record<string, JsonValue> = {};
      for (const output of task.upstream)
        inputs[output.phaseId] = decodeOutput(output.mediaType, output.content);
      if (step.input !== undefined) {
        const problems = validateJson(step.input, inputs);
        if (problems.length > 0) {
          return phaseFailure(
            'INPUT_SCHEMA',
            `the inputs of "${task.phaseId}" do not match the input schema of builtin step "${name}": ${formatProblems(problems)}`,
            false,
          );
        }
      }

      const outcome = await runStep(step, inputs, task, signal, context);
      if (outcome === ABORTED) return abortedResult(signal);
      if ('thrown' in outcome) {
        return phaseFailure('BUILTIN_FAILED', `builtin step "${name}" failed: ${outcome.thrown}`, true);
      }
      return toPhaseResult(step, outcome.result);
    },
  };
}

const ABORTED = Symbol('aborted');

/** Runs the step; resolves with its result, what it threw, or {@link ABORTED} once the signal fires. */
async function runStep(
  step: BuiltinStep,
  inputs: Readonly<Record<string, JsonValue>>,
  task: PhaseTask,
  signal: AbortSignal,
  context: AttemptContext,
): Promise<{ result: BuiltinResult } | { thrown: string } | typeof ABORTED> {
  let stop: (() => void) | undefined;
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    stop = () => resolve(ABORTED);
    signal.addEventListener('abort', stop, { once: true });
  });
  const ran = (async () => {
    try {
      const result = await step.run(inputs, {
        runId: task.runId,
        phaseId: task.phaseId,
        attempt: task.attempt,
        runInputs: task.runInputs,
        needs: task.phase.needs,
        signal,
        readBlob: (sha256) => context.readBlob(sha256),
      });
      return { result };
    } catch (error) {
      return { thrown: describeThrown(error) };
    }
  })();
  try {
    return await Promise.race([ran, aborted]);
  } finally {
    if (stop !== undefined) signal.removeEventListener('abort', stop);
  }
}

/** A step's result as the attempt's: its failure as is, its output checked and stored as JSON. */
function toPhaseResult(step: BuiltinStep, result: BuiltinResult): PhaseResult {
  const name = step.name;
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    return phaseFailure('BUILTIN_FAILED', `builtin step "${name}" returned no result`, true);
  }
  if (!result.ok) {
    return {
      ok: false,
      error: { code: result.code, message: result.message },
      retryable: result.retryable ?? false,
    };
  }
  if (result.output === undefined) {
    return phaseFailure('BUILTIN_FAILED', `builtin step "${name}" returned no output`, true);
  }
  if (step.output !== undefined) {
    const problems = validateJson(step.output, result.output);
    if (problems.length > 0) {
      return phaseFailure(
        'OUTPUT_SCHEMA',
        `the output of builtin step "${name}" does not match its output schema: ${formatProblems(problems)}`,
        false,
      );
    }
  }
  try {
    return { ok: true, output: jsonPayload(result.output) };
  } catch (error) {
    // A value JSON cannot hold (a cycle, a BigInt): a bug in the step.
    const detail = error instanceof Error ? error.message : String(error);
    return phaseFailure(
      'BUILTIN_FAILED',
      `builtin step "${name}" returned an output that is not JSON: ${detail}`,
      true,
    );
  }
}

/** The failure of a step this process lacks, saying what to do: the steps come from how it is composed. */
function unknownStep(task: PhaseTask, name: string, known: readonly string[]): PhaseResult {
  const have =
    known.length === 0
      ? "this process has no builtin steps configured (a program that composes the runtime passes them to createDefaultHandlers; baton run, baton worker and baton serve have Baton's own)"
      : `this process has ${known.map((step) => `"${step}"`).join(', ')} — run the workers with a Baton that has "${name}" (the one that accepted the workflow), or start a new run of the workflow corrected to name a step it has`;
  return phaseFailure(
    'UNKNOWN_STEP',
    `phase "${task.phaseId}" runs builtin step "${name}", which is not available here: ${have}`,
    false,
  );
}

/** What a step threw, in words: an error's message (its name when it has none), else the value. */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
