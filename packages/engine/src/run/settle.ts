/**
 * Settling a run after an input: every examined `blocked` phase whose needs are met (and, for a
 * map's instance, whose element may start) becomes ready — or, a `reReview: false` reviewer after
 * its fix round, is skipped — until nothing more moves; then the run ends when no phase can move
 * any more (`run_completed` or `run_failed`).
 */
import type { PhaseStatus, RunState } from '../types.js';
import { finishDraft, phasesNamedBy } from './apply-event.js';
import { ElementSlots } from './map.js';
import type { StepContext } from './step-context.js';

/** Above this many candidates `settle` walks the run's order instead of picking them by position. */
const FEW_CANDIDATES = 32;

/** Each phase id's position in an order, computed once per order array. */
const positions = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
function positionsIn(order: readonly string[]): ReadonlyMap<string, number> {
  let map = positions.get(order);
  if (map === undefined) {
    map = new Map(order.map((id, i) => [id, i]));
    positions.set(order, map);
  }
  return map;
}

/** A phase that keeps its run going: it will run, runs, or waits for a person. */
function isActive(status: PhaseStatus): boolean {
  return status === 'ready' || status === 'running' || status === 'waiting_for_human';
}

/**
 * Settles the run after an input: makes ready every examined phase whose needs are met, then ends
 * the run when nothing can move any more. Returns the step's final state.
 */
export function settle(ctx: StepContext): RunState {
  let touched: string[] | undefined;
  if (ctx.state.ended === undefined) {
    // A skipped reviewer completes the phase it reviewed, which may unblock phases examined
    // earlier in this pass: repeat until nothing more moves.
    let moved = true;
    const slots = new ElementSlots(ctx);
    const examine = (id: string) => {
      if (ctx.phase(id).status !== 'blocked' || !ctx.needsSatisfied(id)) return;
      if (!slots.mayStart(id)) return;
      ctx.candidates.delete(id);
      moved = true;
      if (skipsReReview(ctx, id)) ctx.skip(id, 'reReview: false — one fix round, no second review');
      else ctx.makeReady(id);
    };
    while (moved) {
      moved = false;
      // Candidates in the run's order. A pass takes the order as it was when the pass began;
      // candidates added during the pass further on are examined in it too.
      const order = ctx.state.order;
      if (ctx.candidates.size > FEW_CANDIDATES) {
        for (const id of order) if (ctx.candidates.has(id)) examine(id);
        continue;
      }
      // Few candidates (a step's usual case): pick them by position instead of walking the run.
      const position = positionsIn(order);
      for (let index = -1; ;) {
        let next: string | undefined;
        let at = Number.POSITIVE_INFINITY;
        for (const id of ctx.candidates) {
          const p = position.get(id);
          if (p !== undefined && p > index && p < at) [next, at] = [id, p];
        }
        if (next === undefined) break;
        index = at;
        examine(next);
      }
    }
    // The run's own events (ending it) name no phase: the list stays right after endIfStuck.
    touched = phasesNamedBy(ctx.events);
    endIfStuck(ctx, touched);
  }
  return finishDraft(ctx.state, touched ?? phasesNamedBy(ctx.events));
}

/** A reviewer with `reReview: false` whose reviewed phase already had its fix round. */
function skipsReReview(ctx: StepContext, id: string): boolean {
  const def = ctx.definition(id);
  if (def.reviews === undefined || def.review === undefined || def.review.reReview || def.review.advisory)
    return false;
  return (ctx.phase(def.reviews).reviewRound ?? 0) >= 1;
}

/** Ends the run when nothing can move; `touched`: the phases this step's events named. */
function endIfStuck(ctx: StepContext, touched: readonly string[]): void {
  // Usually a phase this step touched is still active: no need to look at every phase.
  for (const id of touched) if (isActive(ctx.phase(id).status)) return;
  const stopped: string[] = [];
  for (const id of ctx.state.order) {
    const phase = ctx.phase(id);
    if (isActive(phase.status)) return;
    if (phase.status === 'failed') stopped.push(`"${id}" failed: ${phase.error?.message ?? 'unknown error'}`);
    if (phase.status === 'rejected') stopped.push(`"${id}" was rejected`);
    if (phase.status === 'cancelled') stopped.push(`"${id}" was cancelled`);
    if (phase.status === 'in_review') stopped.push(`"${id}" waits for a review that stopped`);
  }
  if (stopped.length === 0 && ctx.state.order.every((id) => ctx.phase(id).status !== 'blocked')) {
    ctx.emit({ type: 'run_completed' });
    return;
  }
  const shown = stopped.slice(0, 3).join('; ');
  const more = stopped.length > 3 ? ` (and ${stopped.length - 3} more)` : '';
  ctx.emit({ type: 'run_failed', reason: `nothing else can run: ${shown}${more}` });
}
