/**
 * `rewind`: a person sends the run back to a phase. The phase and everything downstream of it are
 * reset — running attempts aborted (their late results are ignored: the attempt is no longer the
 * running one), queued tasks dropped, pending gates withdrawn, accepted outputs and approvals void —
 * and run again as new attempts, optionally with changed run inputs (a revised brief, say). An
 * ended run reopens; a cancelled one stays cancelled (fork it instead). A map rewound, or
 * downstream of what it needs, reads its items again; one downstream of a rewound instance only
 * collects again.
 */
import { formatProblems } from '../errors.js';
import { validateRunInputs } from '../schema/json-schema.js';
import type { RunInput } from '../types.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import type { StepContext } from './step-context.js';

type RewindInput = Extract<RunInput, { type: 'rewind' }>;

/**
 * Applies `rewind`: reopens an ended run, records `run_rewound` (with the changed run inputs) and
 * resets the phase and everything downstream of it to run again. Refused (`INVALID_TRANSITION`)
 * when the run was cancelled or the phase has not run yet; `INVALID_INPUT` when the changed inputs
 * would not match the workflow's inputs schema.
 */
export function applyRewind(ctx: StepContext, input: RewindInput): HandlerOutcome {
  const { phaseId, by } = input;
  const state = ctx.state;
  if (state.ended?.status === 'cancelled') {
    return refuse('INVALID_TRANSITION', `run ${state.runId} was cancelled; start a new run instead`);
  }
  const phase = ctx.phase(phaseId);
  if (phase.status === 'blocked' && phase.attempt === 0) {
    return refuse(
      'INVALID_TRANSITION',
      `phase "${phaseId}" of run ${state.runId} has not run yet; there is nothing to rewind`,
    );
  }
  const changed = input.inputs ?? {};
  if (Object.keys(changed).length > 0) {
    const checked = validateRunInputs(state.workflow.inputs, { ...state.inputs, ...changed });
    if (!checked.ok) {
      return refuse(
        'INVALID_INPUT',
        `the run's inputs would not match the workflow:\n${formatProblems(checked.problems)}`,
      );
    }
  }

  const reason = `rewound to "${phaseId}" by ${by}${input.reason === undefined ? '' : `: ${input.reason}`}`;
  if (state.ended !== undefined) ctx.reopen(by, reason, phaseId);
  ctx.emit({
    type: 'run_rewound',
    phaseId,
    by,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(Object.keys(changed).length > 0 ? { inputs: changed } : {}),
  });
  rewindPhase(ctx, phaseId, reason);
  return undefined;
}

/**
 * Resets `phaseId` and every phase downstream of it that has run (after `run_rewound` was
 * recorded), so they run again as new attempts once their needs are met. A map reached only
 * through its instances keeps its items and collects again; one rewound itself, or downstream of
 * what it needs, reads its items again.
 */
export function rewindPhase(ctx: StepContext, phaseId: string, reason: string): void {
  const downstream = ctx.downstreamOf(phaseId);
  const reached = new Set(downstream);
  for (const id of downstream) {
    const map = ctx.definition(id).map;
    const keepItems =
      map !== undefined &&
      id !== phaseId &&
      !ctx.state.workflow.phases.find((p) => p.id === id)!.needs.some((need) => reached.has(need));
    if (ctx.hasRun(id, keepItems)) ctx.reset(id, reason, undefined, keepItems);
  }
  ctx.examine(phaseId);
}
