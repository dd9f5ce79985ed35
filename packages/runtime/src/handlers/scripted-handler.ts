import { setTimeout as delay } from 'node:timers/promises';
import type { FixtureAnswer, PhaseResult, PhaseTask } from '@baton/engine';
import { createOutputPayload, jsonPayload } from '../output-payload.js';
import { abortedResult, phaseFailure } from '../phase-results.js';
import type { AgentPhaseHandler } from '../phase-handlers.js';
import { findFixtureEntry } from './fixture-entry.js';

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
  const noFixture = `no fixture for phase "${phaseId}" attempt ${attempt}`;
  const found = findFixtureEntry(task);
  if (!found.found) {
    switch (found.reason) {
      case 'no-file':
        return {
          ok: false,
          message:
            `${noFixture}: neither the phase nor the workflow names ` +
            `a fixtures file — add "fixtures: <file>" to the workflow or the phase`,
        };
      case 'not-loaded':
        return {
          ok: false,
          message: `${noFixture}: the fixtures file ${found.file} was not loaded — check that it exists`,
        };
      case 'no-entry':
        return {
          ok: false,
          message:
            `${noFixture} in ${found.file} — add a "${phaseId}" entry ` +
            `${found.shared === undefined ? '' : `(or "${found.shared}" for every element) `}` +
            `(with "output" or "attempts: {${attempt}: …}")`,
        };
    }
  }
  const { file, key, entry } = found;
  const perAttempt = entry.attempts?.[String(attempt)];
  const answer = [perAttempt, entry].find((candidate) => candidate !== undefined && hasAnswer(candidate));
  if (answer === undefined) {
    return {
      ok: false,
      message:
        `${noFixture} in ${file} — the "${key}" entry has no ` +
        `"output" or "fail"; add one, or "attempts: {${attempt}: …}"`,
    };
  }
  return { ok: true, answer, delayMs: perAttempt?.delayMs ?? entry.delayMs };
}

function hasAnswer(answer: FixtureAnswer): boolean {
  return answer.output !== undefined || answer.fail !== undefined;
}
