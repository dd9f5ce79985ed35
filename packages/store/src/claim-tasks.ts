import { randomUUID } from 'node:crypto';
import {
  claimStarted,
  DEFAULT_LEASE_MS,
  step,
  type ClaimedTask,
  type ClaimOptions,
  type RunState,
} from '@baton/engine';
import type { StoreTransaction } from './run-store/mutate.js';
import type { RunStateCache } from './run-state-cache.js';
import type { TenantScope } from './run-store/context.js';
import { deleteTask } from './sql/delete-task.js';
import { selectDueTasks } from './sql/select-due-tasks.js';
import { tryLockRun } from './sql/try-lock-run.js';
import { StepWrite } from './step-write.js';

/**
 * Claims up to `options.limit` due tasks (of `scope`'s tenant, or of any tenant for the system
 * scope) inside the caller's transaction: records `phase_started`
 * for each under its run's lock and gives it a lease (a random token, `now + leaseMs`). Stale
 * tasks (the run was paused or cancelled, the attempt superseded) are deleted on the way. The
 * claims of one run are written by one statement (`step-write.ts`).
 *
 * `runs` holds the state of every run whose row this transaction has locked, and receives the
 * runs this claim locks, with their new states: the caller remembers them after commit. A run
 * already in `runs` is not locked again — for `claimNext` it is the run just applied, whose state
 * is newer than anything committed.
 *
 * Locking: due tasks are locked with FOR UPDATE SKIP LOCKED (`sql/select-due-tasks.ts`), so racing
 * claimers split the queue instead of sharing or waiting; then each task's run is locked with SKIP
 * LOCKED too (`sql/try-lock-run.ts`), unless this transaction holds it already (a row lock never
 * conflicts with its own transaction). Nothing here ever waits for a lock: a run busy with another
 * transition is left for later (its tasks stay queued and the transition's commit wakes the
 * workers). That is what makes it safe to claim while holding a run's lock (`apply` with
 * `claimNext`): every lock a transaction *waits* for is taken in the order run row, then that run's
 * task rows; locks taken in the reverse order (task rows, then other runs) are only ever tried,
 * never awaited, so no cycle of waiting transactions can form. (An earlier claimer waited for the
 * run row while holding task rows and deadlocked against a transition dequeuing those tasks.)
 */
export async function claimDueTasks(
  tx: StoreTransaction,
  cache: RunStateCache,
  options: ClaimOptions,
  runs: Map<string, RunState>,
  scope: TenantScope,
): Promise<ClaimedTask[]> {
  if (options.limit <= 0) return [];
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const due = await selectDueTasks(tx, options, scope);
  const claimed: ClaimedTask[] = [];
  const busy = new Set<string>();
  const writes = new Map<string, StepWrite>();
  for (const task of due) {
    if (busy.has(task.runId)) continue;
    let write = writes.get(task.runId);
    if (write === undefined) {
      let state = runs.get(task.runId);
      if (state === undefined) {
        const row = await tryLockRun(tx, task.runId);
        if (row === undefined) {
          busy.add(task.runId);
          continue;
        }
        state = await cache.load(tx, row);
        runs.set(task.runId, state);
      }
      // The task's row carries its run's tenant.
      write = new StepWrite(state, task.tenantId);
      writes.set(task.runId, write);
    }
    const result = step(
      write.current,
      { type: 'claim', phaseId: task.phaseId, attempt: task.attempt },
      options.now,
    );
    if (!result.ok || result.ignored !== undefined) {
      await deleteTask(tx, task.runId, task.phaseId, task.attempt);
      continue;
    }
    write.add(result);
    // The step failed the phase instead of starting it (a bug in the engine): record that, and
    // hand no task out (the step's `dequeue` removes it).
    if (!claimStarted(result, task.phaseId, task.attempt)) continue;
    const lease = { token: randomUUID(), expiresAt: options.now + leaseMs };
    write.claim(task, lease, options.workerId);
    claimed.push({ ...task, state: result.state, events: result.events, commands: result.commands, lease });
  }
  for (const write of writes.values()) {
    if (write.empty) continue;
    await write.writeLocked(tx, options.now);
    runs.set(write.runId, write.current);
  }
  return claimed;
}
