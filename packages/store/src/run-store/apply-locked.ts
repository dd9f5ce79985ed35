/**
 * The locked path of `apply`: one transaction under the run's row lock — lock, read the events
 * newer than the cache, check the caller's lease, `step`, write (`step-write.ts`), claim what is
 * due (`claim-tasks.ts`), commit. It serves every input the one-statement path cannot: a run this
 * store has not cached, a run another process moved (the statement's guard failed), an input
 * `step` refuses or ignores, claims across runs, and a statement that failed or lost its answer.
 *
 * Guarantees: the input is decided on the run's latest committed state and written atomically
 * with everything it causes; a result whose lease is no longer the task's (recovered, or already
 * finished) changes nothing and says why (`ignored`); a refusal writes nothing (rolled back).
 *
 * Locking: `SELECT … FOR UPDATE` on the run's row (`sql/lock-run.ts`) serialises every locked
 * transition of the run, and the one-statement path's guarded UPDATE of the same row waits for it,
 * so two inputs of one run are never decided on the same state. A task's lease changes hands only
 * under its run's lock, so the lease read here holds until COMMIT. Safe from deadlock: the
 * transaction waits for exactly one run row and only then touches that run's tasks; the claims it
 * makes for `claimNext` only ever *try* other locks (`SKIP LOCKED`, see `claim-tasks.ts`).
 */
import {
  endsAttempt,
  step,
  type ApplyOptions,
  type RunInput,
  type RunState,
  type Transition,
} from '@baton/engine';
import type { Transaction } from '../db.js';
import { claimDueTasks } from '../claim-tasks.js';
import { lockRun } from '../sql/lock-run.js';
import { selectTaskLease } from '../sql/select-task-lease.js';
import { StepWrite } from '../step-write.js';
import type { StoreContext, TenantScope } from './context.js';
import { mutate } from './mutate.js';
import { runNotFound } from './refuse.js';

/**
 * Applies `input` to the run in one transaction under its row lock (see above). A run outside
 * `scope` (another tenant's) is refused as missing, and `claimNext` claims only the scope's tasks.
 */
export async function applyLocked(
  ctx: StoreContext,
  runId: string,
  input: RunInput,
  now: number,
  options: ApplyOptions,
  scope: TenantScope,
): Promise<Transition> {
  const { cache } = ctx;
  const runs = new Map<string, RunState>();
  const { transition, loaded } = await mutate(ctx, async (tx, changed) => {
    let queued = 0;
    const row = await lockRun(tx, runId, scope);
    if (row === undefined) {
      return { transition: runNotFound(runId), loaded: undefined };
    }
    const state = await cache.load(tx, row);
    let transition: Extract<Transition, { ok: true }>;
    const lostLease = await leaseNoLongerHeld(tx, state, input, options.leaseToken);
    if (lostLease !== undefined) {
      // Not this caller's task any more: someone else holds (or finished) it. Change nothing.
      transition = { ok: true, state, events: [], commands: [], ignored: lostLease };
    } else {
      const result = step(state, input, now);
      if (!result.ok) {
        tx.rollbackOnReturn();
        return { transition: result as Transition, loaded: state };
      }
      const write = new StepWrite(state, row.tenantId, { contents: ctx.contents });
      write.add(result);
      // A result finishes its task even when it is stale: nobody will deliver it again.
      if (endsAttempt(input)) write.finish(input.phaseId, input.attempt);
      if (!write.empty) await write.writeLocked(tx, now);
      queued = write.leftQueued;
      if (write.statusChanged) changed();
      transition = result;
    }
    runs.set(runId, transition.state);
    if (options.claimNext !== undefined) {
      // Under this run's lock; see `claim-tasks.ts` for why that cannot deadlock.
      const claimed = await claimDueTasks(tx, cache, { ...options.claimNext, now }, runs, scope);
      queued -= claimed.length;
      transition = { ...transition, claimed };
    }
    // Wake others only for work this transaction leaves for them (not what it claimed itself)
    // and for a run whose status moved (a watcher waits for it to end or wait).
    if (queued > 0) changed();
    return { transition: transition as Transition, loaded: state };
  });
  if (transition.ok) for (const state of runs.values()) cache.remember(state);
  else if (loaded !== undefined) cache.remember(loaded);
  // No such run (or none in this scope): forget it, unless the cache holds another tenant's run.
  else if (scope === undefined || cache.tenantOf(runId) === scope) cache.forget(runId);
  return transition;
}

/**
 * Why a result presented with `leaseToken` must be ignored, or undefined when it may be applied:
 * the token must be the lease of the attempt's task, and the task still running. A result without
 * a token (a single-process caller) is always applied; `step` still ignores stale ones. Called
 * holding the run's lock, under which a task's lease changes hands.
 */
async function leaseNoLongerHeld(
  tx: Transaction,
  state: RunState,
  input: RunInput,
  leaseToken: string | undefined,
): Promise<string | undefined> {
  if (leaseToken === undefined) return undefined;
  if (!endsAttempt(input)) return undefined;
  // A phase the run does not have is refused by `step` (PHASE_NOT_FOUND), token or not.
  if (state.phases[input.phaseId] === undefined) return undefined;
  const task = await selectTaskLease(tx, state.runId, input.phaseId, input.attempt);
  const what = `attempt ${input.attempt} of "${input.phaseId}"`;
  if (task === undefined || task.leaseToken !== leaseToken) {
    return `the lease on ${what} is no longer held (it expired and the attempt was recovered); result ignored`;
  }
  if (task.status !== 'running') return `${what} already has its result; duplicate ignored`;
  return undefined;
}
