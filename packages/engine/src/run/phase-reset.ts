/**
 * Reset and reopen: a phase goes back to `blocked` as if it had never run (a rewind, a review
 * round, a map reading its items again, a retry before its needs are met), and an ended run
 * reopens (phases a fail-fast cancelled go back to `blocked`).
 */
import { reach } from '../definition/reach.js';
import { examineSiblingsOf } from './readiness.js';
import type { StepContext } from './step-context.js';

/**
 * True when a reset would change the phase: it is not blocked, or it is a map holding items it
 * is to drop.
 */
export function hasRun(ctx: StepContext, phaseId: string, keepItems = false): boolean {
  const phase = ctx.phase(phaseId);
  return phase.status !== 'blocked' || (!keepItems && phase.expansion !== undefined);
}

/** The phase and every phase that needs it, directly or not, in topological order. */
export function downstreamOf(ctx: StepContext, phaseId: string): string[] {
  const reached = reach(phaseId, (id) => ctx.state.dependents[id] ?? []);
  return ctx.state.order.filter((id) => id === phaseId || reached.has(id));
}

/**
 * Sends a phase back to `blocked` as if it had never run: aborts its running attempt, drops its
 * queued task, withdraws a pending gate, voids its accepted output (`phase_reset`).
 */
export function reset(
  ctx: StepContext,
  phaseId: string,
  reason: string,
  cause?: 'review',
  keepItems = false,
): void {
  const phase = ctx.phase(phaseId);
  if (phase.expansion !== undefined && !keepItems) {
    // The map reads its items again: its instances leave the run, reset (attempts kept).
    for (const id of ctx.state.instances[phaseId] ?? []) {
      if (ctx.phase(id).status !== 'blocked') ctx.reset(id, reason);
    }
  }
  const current = phase.attempts.at(-1);
  if (
    phase.status === 'running' &&
    current?.status === 'running' &&
    ctx.definition(phaseId).kind !== 'human'
  ) {
    ctx.command({ type: 'abort', phaseId, attempt: phase.attempt, reason });
  }
  if (phase.status === 'ready') ctx.command({ type: 'dequeue', phaseId });
  // An element that goes back to blocked may free a slot of its map.
  examineSiblingsOf(ctx, phaseId);
  ctx.emit({
    type: 'phase_reset',
    phaseId,
    reason,
    ...(cause === undefined ? {} : { cause }),
    ...(keepItems && phase.expansion !== undefined ? { keepItems: true as const } : {}),
  });
}

/** Reopens a failed run: phases cancelled by a fail-fast go back to `blocked`. */
export function reopen(ctx: StepContext, by: string, reason: string, except: string): void {
  ctx.emit({ type: 'run_reopened', by, reason });
  for (const id of ctx.state.order) {
    const phase = ctx.phase(id);
    if (id === except || phase.status !== 'cancelled' || phase.cancelledBy !== 'fail-fast') continue;
    ctx.reset(id, `run reopened: ${reason}`, undefined, true);
    ctx.examine(id);
  }
}
