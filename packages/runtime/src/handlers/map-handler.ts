import type { PhaseHandler, PhaseResult, PhaseTask } from '@baton/engine';
import { decodeOutput, jsonPayload, payload } from '../output-payload.js';
import { phaseFailure } from '../phase-results.js';

/**
 * The handler of `map` phases' own attempts; it does no work of its own. Reading the items hands
 * over the output of the phase the map maps over, unchanged (the scheduler checks it and adds one
 * instance per element). Collecting builds the map's output: the elements' results in element
 * order — JSON outputs parsed, text as a string, a skipped element as `null`.
 */
export function createMapHandler(): PhaseHandler {
  return {
    kind: 'map',
    execute(task: PhaseTask): Promise<PhaseResult> {
      return Promise.resolve(mapResult(task));
    },
  };
}

function mapResult(task: PhaseTask): PhaseResult {
  const stage = task.map;
  if (stage === undefined) {
    return phaseFailure('INTERNAL', `the attempt of map "${task.phaseId}" came without its stage`, false);
  }
  if (stage.stage === 'expand') {
    return { ok: true, output: payload(stage.items.mediaType, stage.items.content) };
  }
  return {
    ok: true,
    output: jsonPayload(
      stage.parts.map((part) => (part === null ? null : decodeOutput(part.mediaType, part.content))),
    ),
  };
}
