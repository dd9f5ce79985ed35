/**
 * Leases: taking tasks (`claim`), keeping them (`heartbeat`) and taking back the tasks of workers
 * that stopped renewing (`recoverExpired`).
 *
 * Guarantees: a view scoped to a tenant claims, renews and recovers only that tenant's tasks (a
 * heartbeat for another tenant's task reports it lost and renews nothing); a task is held by at
 * most one lease at a time; a lease is never both renewed and
 * recovered; an expired task is recovered once (`abandon {cause: lost}` recorded once), however
 * many processes sweep at the same moment; a bare claim wakes nobody (it only takes work).
 *
 * Locking, and why it is safe:
 * - `claim`: due task rows with `FOR UPDATE SKIP LOCKED`, then each one's run row tried with SKIP
 *   LOCKED (`claim-tasks.ts`): it never waits for a lock, so racing claimers split the queue and
 *   cannot deadlock with transitions. On PostgreSQL it commits with `synchronous_commit = off`
 *   (`sql/relax-commit.ts`: losing a claim in a crash only delays the task).
 * - `heartbeat`: one statement locking the still-held running task rows in `id` order, no run row
 *   (`sql/renew-leases.ts`): heartbeats queue in one order, and against recovery it is a
 *   compare-and-set on the lease.
 * - `recoverExpired`: a plain read nominates expired tasks (`sql/select-expired-tasks.ts`); then
 *   one transaction per task waits for its run's row (`sql/lock-run.ts`), like any transition, and
 *   takes the task only if its lease is still expired (`sql/take-expired-task.ts`): the run row
 *   before the task row, the order every transition uses. Two recoverers of one task serialise on
 *   the run's row; the second finds the task done and skips it.
 */
import {
  DEFAULT_LEASE_MS,
  step,
  type ClaimOptions,
  type RunState,
  type RunStore,
  type TaskKey,
  type Transition,
} from '@baton/engine';
import { claimDueTasks } from '../claim-tasks.js';
import { lockRun } from '../sql/lock-run.js';
import { relaxCommit } from '../sql/relax-commit.js';
import { renewLeases } from '../sql/renew-leases.js';
import { selectExpiredTasks } from '../sql/select-expired-tasks.js';
import { takeExpiredTask } from '../sql/take-expired-task.js';
import { StepWrite } from '../step-write.js';
import type { StoreContext, TenantScope } from './context.js';
import { mutate } from './mutate.js';

/** Most expired leases one `recoverExpired` call takes over when the caller sets no limit. */
const DEFAULT_RECOVERY_LIMIT = 100;

/** The store's `claim`, `heartbeat` and `recoverExpired` of a view with `scope` (see above). */
export function leaseMethods(
  ctx: StoreContext,
  scope: TenantScope,
): Pick<RunStore, 'claim' | 'heartbeat' | 'recoverExpired'> {
  const { cache, db } = ctx;
  return {
    async claim(options: ClaimOptions) {
      if (options.limit <= 0) return [];
      const runs = new Map<string, RunState>();
      const claimed = await mutate(ctx, async (tx) => {
        if (ctx.shared) await relaxCommit(tx);
        // A claim only takes work: nobody needs waking.
        const claimed = await claimDueTasks(tx, cache, options, runs, scope);
        return claimed;
      });
      for (const state of runs.values()) cache.remember(state);
      return claimed;
    },

    async heartbeat(leases, now, leaseMs = DEFAULT_LEASE_MS) {
      const renewed = new Set((await renewLeases(db, leases, now, now + leaseMs, scope)).map(keyOf));
      return {
        lost: leases
          .filter(({ task }) => !renewed.has(keyOf(task)))
          .map(({ task }) => ({ runId: task.runId, phaseId: task.phaseId, attempt: task.attempt })),
      };
    },

    async recoverExpired(now, options = {}) {
      const expired = await selectExpiredTasks(
        db,
        now,
        options.runId,
        options.limit ?? DEFAULT_RECOVERY_LIMIT,
        scope,
      );
      const transitions: Transition[] = [];
      for (const task of expired) {
        const transition = await mutate(ctx, async (tx, changed) => {
          const row = await lockRun(tx, task.runId, scope);
          if (row === undefined || !(await takeExpiredTask(tx, task, now))) return undefined;
          const state = await cache.load(tx, row);
          const result = step(
            state,
            { type: 'abandon', phaseId: task.phaseId, attempt: task.attempt, cause: 'lost' },
            now,
          );
          // A refusal (a phase the run no longer knows) still leaves the task finished.
          if (!result.ok) return undefined;
          const write = new StepWrite(state, row.tenantId, { contents: ctx.contents });
          write.add(result);
          await write.writeLocked(tx, now);
          if (write.leftQueued > 0 || write.statusChanged) changed();
          return result;
        });
        if (transition === undefined) continue;
        cache.remember(transition.state);
        transitions.push(transition);
      }
      return transitions;
    },
  };
}

function keyOf(task: TaskKey): string {
  return JSON.stringify([task.runId, task.phaseId, task.attempt]);
}
