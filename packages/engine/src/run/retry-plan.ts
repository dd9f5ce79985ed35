/**
 * Retrying a failed run from its last checkpoint (`retry_run`): which phases run again.
 *
 * A **checkpoint** is a phase that passed a gate: `gate: true` and completed (a person approved
 * or edited its output). For each phase that failed or was rejected, the newest checkpoints
 * upstream of it — those with no other checkpoint of that phase downstream of them, one per
 * branch — are where its retry starts: the phases that need such a checkpoint and lead to the
 * failed phase are rewound, so they and everything downstream of them run again, while the
 * checkpoints and everything before them keep their results. A failed phase with no checkpoint
 * anywhere upstream is itself the target (a retry of that phase). Targets downstream of another
 * target are dropped: rewinding the other one runs them again anyway.
 *
 * In a pipeline `spec (gate) → plan (gate) → tests (gate) → implement → review → verdict`, a
 * failing `verdict` retries from `implement`: spec, plan and tests stay.
 */
import { reach } from '../definition/reach.js';
import type { RunState } from '../types.js';

/** Where a run's retry starts, or why it cannot be retried (`INVALID_TRANSITION`). */
export type RetryPlan =
  | { readonly ok: true; readonly targets: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * The rewind targets of a retry of `state` from its last checkpoint, in the run's order. Refused
 * unless the run failed, saying what to do instead; also when no phase of it failed or was
 * rejected (nothing to retry from).
 */
export function planRunRetry(state: RunState): RetryPlan {
  const refused = notFailed(state);
  if (refused !== undefined) return { ok: false, message: refused };
  const failed = state.order.filter((id) => {
    const status = state.phases[id]?.status;
    return status === 'failed' || status === 'rejected';
  });
  if (failed.length === 0) {
    return {
      ok: false,
      message: `run ${state.runId} failed, but none of its phases failed or was rejected: see \`baton show ${state.runId}\``,
    };
  }
  const upstream = (id: string) => reach(id, (p) => state.definitions[p]?.needs ?? []);
  const targets = new Set<string>();
  for (const id of failed) {
    const before = upstream(id);
    const checkpoints = [...before].filter(
      (p) => state.definitions[p]?.gate === true && state.phases[p]?.status === 'completed',
    );
    if (checkpoints.length === 0) {
      targets.add(id);
      continue;
    }
    // The newest checkpoints: those no other checkpoint of this phase lies downstream of.
    const older = new Set<string>();
    for (const checkpoint of checkpoints) for (const p of upstream(checkpoint)) older.add(p);
    const leadsToFailed = (p: string) => p === id || before.has(p);
    for (const checkpoint of checkpoints) {
      if (older.has(checkpoint)) continue;
      for (const next of state.dependents[checkpoint] ?? []) if (leadsToFailed(next)) targets.add(next);
    }
  }
  const covered = new Set<string>();
  for (const target of targets) {
    for (const p of reach(target, (id) => state.dependents[id] ?? [])) covered.add(p);
  }
  return { ok: true, targets: state.order.filter((id) => targets.has(id) && !covered.has(id)) };
}

/** Why a run that did not fail cannot be retried from a checkpoint, with what to do instead. */
function notFailed(state: RunState): string | undefined {
  const run = state.runId;
  switch (state.status) {
    case 'failed':
      return undefined;
    case 'completed':
      return `run ${run} completed, so there is nothing to retry: run a phase again with \`baton rewind ${run} PHASE\`, or fork the run`;
    case 'cancelled':
      return `run ${run} was cancelled, so it cannot be retried: start a new run, or fork this one`;
    default:
      return `run ${run} is ${state.status}, not failed: retry a failed phase with \`baton retry ${run} PHASE\`, or wait for the run to end`;
  }
}
