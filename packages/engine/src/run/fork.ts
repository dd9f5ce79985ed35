/**
 * Forks: a new run that starts from an old one. `planFork` decides which phases of a
 * source run a fork takes over; `copyForkedPhases` records them when the fork is created.
 *
 * A phase is taken over when it is not the `from` phase or downstream of it, it completed or was
 * skipped in the source, and every phase it needs is taken over too — so the fork never holds a
 * result computed from inputs it will compute again. Everything else runs in the fork. A finished
 * map is taken over with its collected output; instances never are (an unfinished map expands
 * again in the fork).
 */
import { BatonError } from '../errors.js';
import type { RunInput, RunState } from '../types.js';
import { noSuchPhase } from './no-such-phase.js';
import { applyOutputTitle } from './output-title.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import type { StepContext } from './step-context.js';

/** A phase a fork takes over, before its output is read from the source's store. */
export interface ForkPlanEntry {
  readonly phaseId: string;
  readonly status: 'completed' | 'skipped';
  /** The source's accepted output version (completed phases that have one). */
  readonly version?: number;
}

/** Which phases of `source` a fork from `from` (or from nothing: take all it can) takes over. */
export function planFork(source: RunState, from?: string): ForkPlanEntry[] {
  if (from !== undefined && source.phases[from] === undefined) {
    throw new BatonError('PHASE_NOT_FOUND', noSuchPhase(source, from));
  }
  const rerun = new Set<string>(from === undefined ? [] : [from]);
  const taken = new Set<string>();
  const plan: ForkPlanEntry[] = [];
  const needsOf = new Map(source.workflow.phases.map((p) => [p.id, p.needs]));
  for (const id of source.order) {
    // A map's instances are not taken over: a finished map is, with its collected output.
    const needs = needsOf.get(id);
    if (needs === undefined) continue;
    if (needs.some((need) => rerun.has(need))) rerun.add(id);
    const phase = source.phases[id];
    if (rerun.has(id) || phase === undefined || !needs.every((need) => taken.has(need))) continue;
    if (phase.status !== 'completed' && phase.status !== 'skipped') continue;
    taken.add(id);
    plan.push({
      phaseId: id,
      status: phase.status,
      ...(phase.output === undefined ? {} : { version: phase.output.version }),
    });
  }
  return plan;
}

type Fork = NonNullable<Extract<RunInput, { type: 'create' }>['fork']>;

/** Checks a fork's phases (known, each with everything it needs) before the run is created. */
export function checkFork(input: Extract<RunInput, { type: 'create' }>, fork: Fork): HandlerOutcome {
  const needsOf = new Map(input.workflow.phases.map((p) => [p.id, p.needs]));
  const taken = new Set(fork.phases.map((p) => p.phaseId));
  if (fork.from !== undefined && !needsOf.has(fork.from)) {
    return refuse('PHASE_NOT_FOUND', `the fork's --from names no phase of the workflow: "${fork.from}"`);
  }
  for (const phase of fork.phases) {
    const needs = needsOf.get(phase.phaseId);
    if (needs === undefined) {
      return refuse(
        'INVALID_INPUT',
        `a fork cannot take over "${phase.phaseId}": the workflow has no such phase`,
      );
    }
    const missing = needs.filter((need) => !taken.has(need));
    if (missing.length > 0) {
      return refuse(
        'INVALID_INPUT',
        `a fork cannot take over "${phase.phaseId}" without what it needs (${missing.join(', ')})`,
      );
    }
  }
  return undefined;
}

/** Records the phases a fork takes over, right after `run_created`, in the workflow's order. */
export function copyForkedPhases(ctx: StepContext, fork: Fork): void {
  const byId = new Map(fork.phases.map((p) => [p.phaseId, p]));
  for (const id of ctx.state.order) {
    const phase = byId.get(id);
    if (phase === undefined) continue;
    const artifact =
      phase.status === 'completed' && phase.output !== undefined
        ? {
            attempt: 0,
            version: 1,
            mediaType: phase.output.mediaType,
            size: phase.output.size,
            sha256: phase.output.sha256,
          }
        : undefined;
    ctx.emit({
      type: 'phase_copied',
      phaseId: id,
      fromRunId: fork.runId,
      status: phase.status,
      ...(phase.sourceVersion === undefined ? {} : { sourceVersion: phase.sourceVersion }),
      ...(artifact === undefined ? {} : { artifact }),
    });
    if (artifact !== undefined && phase.output !== undefined) {
      ctx.command({ type: 'store_artifact', phaseId: id, attempt: 0, artifact, payload: phase.output });
      // The phase will not run in the fork: its copied output names the fork as it named the source.
      applyOutputTitle(ctx, id, undefined, phase.output);
    }
  }
}
