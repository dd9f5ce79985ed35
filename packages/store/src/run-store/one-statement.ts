/**
 * The one-statement path of `apply` (the usual case): for a run this store has cached, decide
 * inputs on the cached state and write them with one guarded statement (`sql/write-step.ts`)
 * outside any explicit transaction — one round trip and one commit for a whole batch
 * (`apply-queue.ts` hands it the inputs of one run that queued up meanwhile).
 *
 * Guarantees: either every input it decided is written, with its events, projections, task rows
 * and, for a worker driving this one run (`claimNext.runId`), the claims of the tasks they made due
 * — or nothing is written and it returns 0, leaving the first input to the locked path
 * (`apply-locked.ts`) — or it throws: a storage error (the statement failed, or its answer was
 * lost and it may have committed) or a bug, which `apply-queue.ts` tells apart. Inputs are decided
 * in order, each on the state the previous one left, as the locked path would decide them one
 * after another. Callers are resolved only after the statement reported success; the cache moves
 * only to a state the statement committed.
 *
 * What it relies on: the cache holds only committed states (`run-state-cache.ts`), though maybe
 * old ones, each with its run's tenant; and `apply-queue.ts` runs at most one write of a run at a
 * time in this store. An input of a view scoped to another tenant than the run's is left to the
 * locked path (which refuses it: no such run in that scope). Every row the statement writes
 * carries the cached tenant.
 *
 * Locking: none taken in advance; the guard makes it safe. The statement's `UPDATE runs … WHERE
 * last_seq = <cached seq>` takes the run's row lock like `SELECT … FOR UPDATE` would — waiting for a
 * locked transition of the run to commit, then re-checking `last_seq` on the committed row (READ
 * COMMITTED) — and every other part of the statement writes only if that UPDATE moved the row. So a
 * run another process moved since the cache was filled is left untouched (0 rows: the locked path
 * decides again on the newer state), and two writers of one run can never both append after the
 * same sequence number. A result presented with a lease token is written only if its task still
 * runs under that token (checked in the same guard). Its task-row writes are gated on the run's
 * UPDATE (`EXISTS (SELECT 1 FROM moved)`), so it locks the run's row before that run's task rows —
 * the order every transition uses — and waits for no other lock: it cannot take part in a
 * deadlock.
 */
import { randomUUID } from 'node:crypto';
import {
  claimStarted,
  DEFAULT_LEASE_MS,
  endsAttempt,
  step,
  type ApplyOptions,
  type ClaimedTask,
  type RunInput,
  type RunState,
  type Transition,
} from '@baton/engine';
import { StepWrite } from '../step-write.js';
import type { StoreContext, TenantScope } from './context.js';
import { dueTasks } from './due-tasks.js';

/** An `apply` waiting for its turn on its run. */
export interface PendingApply {
  readonly input: RunInput;
  readonly now: number;
  readonly options: ApplyOptions;
  /** The scope of the view that applies it. */
  readonly scope: TenantScope;
  readonly resolve: (transition: Transition) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Decides the longest prefix of `items` it can on the cached state — each input, then for a
 * worker driving this one run (`claimNext.runId`) the claims of the run's due tasks — and writes
 * them all with one guarded statement. Resolves the items it wrote and returns how many; 0 when
 * the first item needs the locked path (a refusal, an ignored input, claims across runs, a guard
 * that failed), which reads the newer state. Throws what the statement threw (a storage error: the
 * caller falls back to the locked path), or a bug met deciding the first item; a bug met deciding
 * a later item returns 0, so that it is thrown when that item comes first, to its own caller.
 */
export async function applyInOneStatement(
  ctx: StoreContext,
  cached: RunState,
  tenantId: string,
  items: readonly PendingApply[],
): Promise<number> {
  const write = new StepWrite(cached, tenantId, { contents: ctx.contents });
  const transitions: Transition[] = [];
  let now = 0;
  for (const [i, item] of items.entries()) {
    let decided: Decision;
    try {
      decided = decide(write, item);
    } catch (error) {
      if (i === 0) throw error;
      return 0;
    }
    if (decided === 'locked') return 0;
    if (decided === 'stop') break;
    transitions.push(decided);
    now = Math.max(now, item.now);
  }
  if (transitions.length === 0) return 0;
  // Wake others for work left queued and for a run whose status moved (as `mutate.ts` does).
  const changed = write.leftQueued > 0 || write.statusChanged;
  // Tell other processes' event subscribers only while there are some (`run-events-channel.ts`).
  const notifyEvents = await ctx.events.notifyOthers();
  await ctx.hooks.beforeCommit?.();
  if (!(await write.write(ctx.db, now, { wakeup: changed && ctx.shared, events: notifyEvents }))) return 0;
  ctx.cache.remember(write.current);
  if (changed) ctx.wakeups.dispatch();
  const notice = write.localNotice;
  if (notice !== undefined) ctx.events.dispatch([notice]);
  transitions.forEach((transition, i) => items[i]!.resolve(transition));
  return transitions.length;
}

/**
 * What deciding one input on the state so far gave: its transition (added to the write), `stop`
 * (it needs the locked path: write the ones before it) or `locked` (the write is spoilt: leave the
 * whole batch to the locked path).
 */
type Decision = Transition | 'stop' | 'locked';

function decide(write: StepWrite, item: PendingApply): Decision {
  const { input, options } = item;
  const { claimNext } = options;
  // Not this view's run (or so the cache says): the locked path looks it up within the scope.
  if (item.scope !== undefined && item.scope !== write.tenantId) return 'stop';
  // Claims across runs take the oldest due task of any run: that needs the queue (locked path).
  if (claimNext !== undefined && claimNext.runId !== write.runId) return 'stop';
  const result = step(write.current, input, item.now);
  if (!result.ok || result.ignored !== undefined) return 'stop';
  write.add(result);
  if (endsAttempt(input)) {
    write.finish(input.phaseId, input.attempt);
    if (options.leaseToken !== undefined)
      write.requireLease(input.phaseId, input.attempt, options.leaseToken);
  }
  if (claimNext === undefined) return result;
  const claimed: ClaimedTask[] = [];
  const leaseMs = claimNext.leaseMs ?? DEFAULT_LEASE_MS;
  for (const task of dueTasks(write.current, result.commands, item.now, claimNext.limit)) {
    const claim = step(
      write.current,
      { type: 'claim', phaseId: task.phaseId, attempt: task.attempt },
      item.now,
    );
    // Not claimable after all: the locked path deletes a stale task, or records a claim the engine
    // turned into a failure without handing the task out.
    if (!claim.ok || !claimStarted(claim, task.phaseId, task.attempt)) return 'locked';
    write.add(claim);
    const lease = { token: randomUUID(), expiresAt: item.now + leaseMs };
    write.claim(task, lease, claimNext.workerId);
    claimed.push({
      runId: write.runId,
      tenantId: write.tenantId,
      ...task,
      state: claim.state,
      events: claim.events,
      commands: claim.commands,
      lease,
    });
  }
  return { ...result, claimed };
}
