/**
 * The task queue of the in-memory store: claims, leases, heartbeats, stuck recovery and the
 * wake-up time, for one scope (a tenant, or all tenants when `tenantId` is undefined). Same
 * semantics as the SQL store's `leases.ts` and `claim-tasks.ts`; the store's mutex stands in for
 * their locks.
 *
 * Lease tokens are `lease-1`, `lease-2` … (unique per store; the fake needs no randomness).
 */
import {
  DEFAULT_LEASE_MS,
  type ApplyOptions,
  type ClaimedTask,
  type ClaimOptions,
  type RunStore,
  type TaskKey,
  type Transition,
} from '../ports/run-store.js';
import { claimStarted } from '../run/impossible-transitions.js';
import { endsAttempt } from '../run/results.js';
import { step } from '../run/step.js';
import type { RunInput } from '../types.js';
import {
  findTask,
  mutate,
  record,
  toQueuedTask,
  toRunningTask,
  type MemoryTables,
  type TaskRecord,
} from './in-memory-tables.js';

/** Every step of this store: an impossible phase move throws (this store only serves tests). */
export const STRICT = { strictTransitions: true } as const;

/** Most expired leases one `recoverExpired` call takes over when the caller sets no limit. */
const DEFAULT_RECOVERY_LIMIT = 100;

/** Whether a scope sees a row of `tenantId` (the system scope, undefined, sees every tenant). */
export function inScope(scope: string | undefined, tenantId: string): boolean {
  return scope === undefined || scope === tenantId;
}

/** Claims due tasks of the scope (see `RunStore.claim`); the caller holds the mutex. */
export function claimDue(
  tables: MemoryTables,
  scope: string | undefined,
  options: ClaimOptions,
): ClaimedTask[] {
  const due = tables.tasks
    .filter((t) => t.status === 'queued' && t.runAt <= options.now && inScope(scope, t.tenantId))
    .filter((t) => options.runId === undefined || t.runId === options.runId)
    .sort((a, b) => a.runAt - b.runAt || a.id - b.id)
    .slice(0, Math.max(0, options.limit));
  const claimed: ClaimedTask[] = [];
  for (const task of due) {
    const run = tables.runs.get(task.runId);
    const result =
      run === undefined
        ? undefined
        : step(
            run.state,
            { type: 'claim', phaseId: task.phaseId, attempt: task.attempt },
            options.now,
            STRICT,
          );
    if (run === undefined || result === undefined || !result.ok || result.ignored !== undefined) {
      tables.tasks = tables.tasks.filter((t) => t !== task);
      continue;
    }
    record(tables, run, result, options.now);
    // The step failed the phase instead of starting it (a bug in the engine): no task to hand out.
    if (!claimStarted(result, task.phaseId, task.attempt)) continue;
    const lease = {
      token: `lease-${tables.nextLease++}`,
      expiresAt: options.now + (options.leaseMs ?? DEFAULT_LEASE_MS),
    };
    task.status = 'running';
    task.claimedAt = options.now;
    task.heartbeatAt = options.now;
    task.lease = lease;
    if (options.workerId !== undefined) task.workerId = options.workerId;
    claimed.push({
      ...toQueuedTask(task),
      state: result.state,
      events: result.events,
      commands: result.commands,
      lease,
    });
  }
  return claimed;
}

/**
 * Why a result presented with `leaseToken` must be ignored (the lease is not the task's, or
 * the task is finished), or undefined when it may be applied.
 */
export function leaseNoLongerHeld(
  tables: MemoryTables,
  runId: string,
  input: RunInput,
  options: ApplyOptions,
): string | undefined {
  if (options.leaseToken === undefined) return undefined;
  if (!endsAttempt(input)) return undefined;
  // A phase the run does not have is refused by `step` (PHASE_NOT_FOUND), token or not.
  if (tables.runs.get(runId)?.state.phases[input.phaseId] === undefined) return undefined;
  const task = findTask(tables, runId, input.phaseId, input.attempt);
  const what = `attempt ${input.attempt} of "${input.phaseId}"`;
  if (task?.lease?.token !== options.leaseToken) {
    return `the lease on ${what} is no longer held (it expired and the attempt was recovered); result ignored`;
  }
  if (task.status !== 'running') return `${what} already has its result; duplicate ignored`;
  return undefined;
}

/** The queue's methods of a view on `tables` scoped to `scope` (see above). */
export function queueMethods(
  tables: MemoryTables,
  scope: string | undefined,
): Pick<RunStore, 'claim' | 'nextDue' | 'nextWakeup' | 'heartbeat' | 'recoverExpired' | 'runningTasks'> {
  /** The tasks the scope sees, of one run when `runId` is given. */
  const ours = (runId: string | undefined): TaskRecord[] =>
    tables.tasks.filter((t) => inScope(scope, t.tenantId) && (runId === undefined || t.runId === runId));
  return {
    claim(options) {
      // A claim only takes work: nobody needs waking.
      return mutate(tables, () => claimDue(tables, scope, options));
    },

    nextDue(options = {}) {
      return tables.mutex.run(() => {
        const queued = ours(options.runId).filter((t) => t.status === 'queued');
        return queued.length === 0 ? undefined : Math.min(...queued.map((t) => t.runAt));
      });
    },

    nextWakeup(options = {}) {
      return tables.mutex.run(() => {
        const times = ours(options.runId).flatMap((t) =>
          t.status === 'queued'
            ? [t.runAt]
            : t.status === 'running' && t.lease !== undefined
              ? [t.lease.expiresAt]
              : [],
        );
        return times.length === 0 ? undefined : Math.min(...times);
      });
    },

    heartbeat(leases, now, leaseMs = DEFAULT_LEASE_MS) {
      return tables.mutex.run(() => {
        const lost: TaskKey[] = [];
        for (const { task: key, token } of leases) {
          const task = findTask(tables, key.runId, key.phaseId, key.attempt);
          if (task?.status === 'running' && task.lease?.token === token && inScope(scope, task.tenantId)) {
            task.lease = { token, expiresAt: now + leaseMs };
            task.heartbeatAt = now;
          } else {
            lost.push({ runId: key.runId, phaseId: key.phaseId, attempt: key.attempt });
          }
        }
        return { lost };
      });
    },

    recoverExpired(now, options = {}) {
      return mutate(tables, (changed) => {
        const expired = ours(options.runId)
          .filter((t) => t.status === 'running' && t.lease !== undefined && t.lease.expiresAt <= now)
          .sort((a, b) => a.lease!.expiresAt - b.lease!.expiresAt || a.id - b.id)
          .slice(0, options.limit ?? DEFAULT_RECOVERY_LIMIT);
        const transitions: Transition[] = [];
        for (const task of expired) {
          task.status = 'done';
          const run = tables.runs.get(task.runId);
          if (run === undefined) continue;
          const result = step(
            run.state,
            { type: 'abandon', phaseId: task.phaseId, attempt: task.attempt, cause: 'lost' },
            now,
          );
          if (!result.ok) continue;
          const recorded = record(tables, run, result, now);
          if (recorded.queued > 0 || recorded.statusChanged) changed();
          transitions.push(result);
        }
        return transitions;
      });
    },

    runningTasks(options = {}) {
      return tables.mutex.run(() =>
        ours(options.runId)
          .filter((t) => t.status === 'running')
          .sort((a, b) => (a.claimedAt ?? 0) - (b.claimedAt ?? 0) || a.id - b.id)
          .map(toRunningTask),
      );
    },
  };
}
