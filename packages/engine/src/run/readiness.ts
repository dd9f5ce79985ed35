/**
 * Readiness: which phases a step must examine when it settles, and whether a phase's needs are
 * met. Handlers mark phases as candidates when something they depend on moved (a phase completed,
 * was skipped, went in review or back to `blocked`); `settle.ts` then looks only at those.
 */
import type { StepContext } from './step-context.js';

/** Marks a phase whose dependents must be examined (it completed, was skipped or is in review). */
export function unblockDependentsOf(ctx: StepContext, phaseId: string): void {
  for (const dependent of ctx.state.dependents[phaseId] ?? []) ctx.candidates.add(dependent);
  // An instance that finished may free its element's slot: other elements may start.
  examineSiblingsOf(ctx, phaseId);
  if (ctx.state.reviewerOf[phaseId] === undefined) return;
  for (const [id, waited] of Object.entries(ctx.state.waitsFor)) {
    if (waited.includes(phaseId)) ctx.candidates.add(id);
  }
}

/** Marks a phase to be examined itself (it was reset to blocked). */
export function examine(ctx: StepContext, phaseId: string): void {
  ctx.candidates.add(phaseId);
}

/** A map's instance: marks every instance of its map (an element's slot may have changed hands). */
export function examineSiblingsOf(ctx: StepContext, phaseId: string): void {
  const origin = ctx.state.definitions[phaseId]?.instanceOf;
  for (const id of origin === undefined ? [] : (ctx.state.instances[origin.map] ?? []))
    ctx.candidates.add(id);
}

/** Marks every phase of the run (a new run). */
export function examineAll(ctx: StepContext): void {
  for (const id of ctx.state.order) ctx.candidates.add(id);
}

/**
 * True when every phase the given phase needs completed or was skipped — or is in review and
 * this phase is in its review scope — and every reviewed phase it waits for completed.
 */
export function needsSatisfied(ctx: StepContext, phaseId: string): boolean {
  const state = ctx.state;
  const done = (id: string): boolean => {
    const status = ctx.phase(id).status;
    return status === 'completed' || status === 'skipped';
  };
  const needsMet = ctx.definition(phaseId).needs.every((need) => {
    if (done(need)) return true;
    if (ctx.phase(need).status !== 'in_review') return false;
    const reviewer = state.reviewerOf[need];
    return reviewer !== undefined && (state.reviewScope[reviewer] ?? []).includes(phaseId);
  });
  return needsMet && (state.waitsFor[phaseId] ?? []).every(done);
}
