/**
 * `retry_run`: a person retries a failed run from its last checkpoint. The planner
 * (`retry-plan.ts`) picks the phases to rewind; each is rewound as `rewind` does it (a
 * `run_rewound` per target, then the target and everything downstream of it reset), after the run
 * reopens — all in one step, so the run never shows half a retry.
 */
import type { RunInput } from '../types.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import { planRunRetry } from './retry-plan.js';
import { rewindPhase } from './rewind.js';
import type { StepContext } from './step-context.js';

/** Why the targets are rewound (their `run_rewound` reason, before the person's own). */
const RETRY_REASON = 'retry from the last checkpoint';

/**
 * Applies `retry_run`: reopens the failed run and rewinds each target of its plan. Refused
 * (`INVALID_TRANSITION`, saying what to do instead) unless the run failed with a failed or
 * rejected phase.
 */
export function applyRunRetry(
  ctx: StepContext,
  input: Extract<RunInput, { type: 'retry_run' }>,
): HandlerOutcome {
  const plan = planRunRetry(ctx.state);
  if (!plan.ok) return refuse('INVALID_TRANSITION', plan.message);
  const { by } = input;
  const said = input.reason === undefined ? RETRY_REASON : `${RETRY_REASON}: ${input.reason}`;
  const why = `retried from the last checkpoint by ${by}${input.reason === undefined ? '' : `: ${input.reason}`}`;
  ctx.reopen(by, why, plan.targets[0]!);
  for (const target of plan.targets) {
    ctx.emit({ type: 'run_rewound', phaseId: target, by, reason: said });
    rewindPhase(ctx, target, why);
  }
  return undefined;
}
