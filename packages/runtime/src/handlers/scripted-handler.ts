import { setTimeout as delay } from 'node:timers/promises';
import {
  instanceId,
  type FixtureAnswer,
  type FixtureEntry,
  type PhaseResult,
  type PhaseTask,
} from '@baton/engine';
import { createOutputPayload, jsonPayload } from '../output-payload.js';
import { abortedResult, phaseFailure } from '../phase-results.js';
import type { AgentPhaseHandler } from '../phase-handlers.js';

/** The name of the offline agent that answers from fixtures. */
export const scriptedAgent = 'scripted';

/**
 * The handler of `agent` phases with `agent: scripted`: answers from the run's fixtures, without any
 * model. It looks up the fixtures file `phase.fixtures ?? workflow.fixtures`, the entry keyed by the
 * phase id (for a map's instance such as `tasks[2].code`, else the template's `tasks[*].code`),
 * then `attempts["<attempt>"]`, falling back to the entry's own `output`/`fail`.
 *
 * - `delayMs` waits first (the signal aborts the wait: `ABORTED`, not retryable);
 * - `fail` fails the attempt (`SCRIPTED_FAILURE`, retryable);
 * - `output`: a string is an output text (JSON when it parses as one, see `createOutputPayload`),
 *   any other value a JSON payload;
 * - no answer: `FIXTURE_MISSING`, an agent other than `scripted`: `UNKNOWN_AGENT` (neither retryable).
 */
export function createScriptedHandler(): AgentPhaseHandler {
  return {
    kind: 'agent',
    agent: scriptedAgent,
    async execute(task: PhaseTask, signal: AbortSignal): Promise<PhaseResult> {
      const { phase } = task;
      if (phase.agent !== scriptedAgent) {
        return phaseFailure(
          'UNKNOWN_AGENT',
          `phase "${task.phaseId}" uses agent "${phase.agent ?? ''}", which this handler does not run; ` +
            `only "${scriptedAgent}" is available`,
          false,
        );
      }
      if (signal.aborted) return abortedResult(signal);

      const found = findAnswer(task);
      if (!found.ok) return phaseFailure('FIXTURE_MISSING', found.message, false);
      const { answer, delayMs } = found;

      if (delayMs !== undefined && delayMs > 0) {
        try {
          await delay(delayMs, undefined, { signal });
        } catch {
          return abortedResult(signal);
        }
      }
      if (signal.aborted) return abortedResult(signal);

      if (answer.fail !== undefined) return phaseFailure('SCRIPTED_FAILURE', answer.fail, true);
      const output = answer.output;
      if (typeof output === 'string') {
        return { ok: true, output: createOutputPayload(output, { expectJson: phase.output !== undefined }) };
      }
      return { ok: true, output: jsonPayload(output ?? null) };
    },
  };
}

type FoundAnswer =
  | { readonly ok: true; readonly answer: FixtureAnswer; readonly delayMs: number | undefined }
  | { readonly ok: false; readonly message: string };

function findAnswer(task: PhaseTask): FoundAnswer {
  const { phaseId, attempt } = task;
  const file = task.phase.fixtures ?? task.workflow.fixtures;
  if (file === undefined) {
    return {
      ok: false,
      message:
        `no fixture for phase "${phaseId}" attempt ${attempt}: neither the phase nor the workflow names ` +
        `a fixtures file — add "fixtures: <file>" to the workflow or the phase`,
    };
  }
  const fixtures = task.fixtures[file];
  if (fixtures === undefined) {
    return {
      ok: false,
      message: `no fixture for phase "${phaseId}" attempt ${attempt}: the fixtures file ${file} was not loaded — check that it exists`,
    };
  }
  // A map's instance answers from its own entry (`tasks[2].code`) or its template's (`tasks[*].code`).
  const origin = task.phase.instanceOf;
  const shared = origin === undefined ? undefined : instanceId(origin.map, '*', origin.template);
  const key = [phaseId, shared].find((k) => k !== undefined && Object.hasOwn(fixtures, k)) ?? phaseId;
  const entry: FixtureEntry | undefined = Object.hasOwn(fixtures, key) ? fixtures[key] : undefined;
  const perAttempt = entry?.attempts?.[String(attempt)];
  const answer = [perAttempt, entry].find((candidate) => candidate !== undefined && hasAnswer(candidate));
  if (answer === undefined) {
    return {
      ok: false,
      message:
        entry === undefined
          ? `no fixture for phase "${phaseId}" attempt ${attempt} in ${file} — add a "${phaseId}" entry ` +
            `${shared === undefined ? '' : `(or "${shared}" for every element) `}` +
            `(with "output" or "attempts: {${attempt}: …}")`
          : `no fixture for phase "${phaseId}" attempt ${attempt} in ${file} — the "${key}" entry has no ` +
            `"output" or "fail"; add one, or "attempts: {${attempt}: …}"`,
    };
  }
  return { ok: true, answer, delayMs: perAttempt?.delayMs ?? entry?.delayMs };
}

function hasAnswer(answer: FixtureAnswer): boolean {
  return answer.output !== undefined || answer.fail !== undefined;
}
