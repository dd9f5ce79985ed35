import { randomUUID } from 'node:crypto';
import {
  DEFAULT_LEASE_MS,
  endsAttempt,
  step,
  type ApplyOptions,
  type ClaimedTask,
  type ClaimOptions,
  type Command,
  type QueuedTask,
  type RunInput,
  type RunState,
  type RunStore,
  type TaskKey,
  type Transition,
  type TransitionError,
} from '@baton/engine';
import { claimDueTasks } from './claim-tasks.js';
import type { Db, Transaction } from './db.js';
import { migrate } from './migrate.js';
import { RunStateCache } from './run-state-cache.js';
import { insertModelCall } from './sql/insert-model-call.js';
import { insertRun } from './sql/insert-run.js';
import { lockRun } from './sql/lock-run.js';
import { notifyWakeup, WAKEUP_CHANNEL } from './sql/notify-wakeup.js';
import { relaxCommit } from './sql/relax-commit.js';
import { renewLeases } from './sql/renew-leases.js';
import { selectArtifact } from './sql/select-artifact.js';
import { selectEvents } from './sql/select-events.js';
import { selectExpiredTasks } from './sql/select-expired-tasks.js';
import { selectBlob } from './sql/select-blob.js';
import { selectLastSeq } from './sql/select-last-seq.js';
import { selectModelCalls } from './sql/select-model-calls.js';
import { selectModelUsage } from './sql/select-model-usage.js';
import { selectNextDue } from './sql/select-next-due.js';
import { selectNextWakeup } from './sql/select-next-wakeup.js';
import { selectRunningTasks } from './sql/select-running-tasks.js';
import { selectRuns } from './sql/select-runs.js';
import { selectTaskLease } from './sql/select-task-lease.js';
import { takeExpiredTask } from './sql/take-expired-task.js';
import { ChannelSubscribers } from './channel-subscribers.js';
import { createProgressChannel } from './progress-channel.js';
import { StepWrite } from './step-write.js';

/** Most expired leases one `recoverExpired` call takes over when the caller sets no limit. */
const DEFAULT_RECOVERY_LIMIT = 100;

/**
 * Brings a database's schema up to date and returns a store on it; closes the database when the
 * migration fails (the error says why).
 */
export async function openMigratedStore(db: Db, options: SqlRunStoreOptions = {}): Promise<RunStore> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return createSqlRunStore(db, options);
}

/**
 * Hooks into the store's transactions, for tests only: fault injection (kill the process between
 * the writes and the COMMIT) and barriers (hold two transactions just before COMMIT).
 */
export interface StoreHooks {
  /** Called inside every writing transaction that will commit, after its writes, before COMMIT. */
  readonly beforeCommit?: () => void | Promise<void>;
}

export interface SqlRunStoreOptions {
  readonly hooks?: StoreHooks;
}

/** A transaction of the store, told when it changed something workers or watchers care about. */
type Mutation<T> = (tx: Transaction, changed: () => void) => Promise<T>;

/**
 * A {@link RunStore} over a {@link Db} (PGlite or PostgreSQL; the SQL is the same). The database
 * must be migrated (`migrate`). Closing the store closes the database.
 *
 * Each transition is one transaction under the run's row lock (`sql/lock-run.ts`). The store keeps
 * the latest state of every run it touched in memory and reads only newer events, so several
 * stores (processes) may share one PostgreSQL database.
 *
 * Wake-ups: after a transaction that appended events or queued work commits, the store calls its
 * own subscribers at once; on PostgreSQL the transaction also sends one empty `NOTIFY
 * baton_wakeup`, which the subscribers of other stores (processes) receive through LISTEN. A store
 * ignores the notifications of its own connections (it has dispatched those already), so stores
 * that share one `Db` object do not wake each other: open one `Db` per store.
 */
export function createSqlRunStore(db: Db, options: SqlRunStoreOptions = {}): RunStore {
  const hooks = options.hooks ?? {};
  const cache = new RunStateCache();
  const shared = db.driver === 'postgres';
  const progress = createProgressChannel(db);
  const wakeups = new ChannelSubscribers<void>(
    db.listen === undefined ? undefined : (onPayload) => db.listen!(WAKEUP_CHANNEL, onPayload),
    // Every notification wakes: it carries no payload (and '' after a replaced connection).
    () => ({ value: undefined }),
  );

  /**
   * Runs `fn` in one transaction. When `fn` reports a change and the transaction commits, sends
   * the transaction's one NOTIFY (PostgreSQL) and, after commit, wakes this store's subscribers.
   */
  async function mutate<T>(fn: Mutation<T>): Promise<T> {
    let changed = false;
    let rolledBack = false;
    const value = await db.transaction(async (tx) => {
      const inner: Transaction = {
        ...tx,
        rollbackOnReturn: () => {
          rolledBack = true;
          tx.rollbackOnReturn();
        },
      };
      const result = await fn(inner, () => {
        changed = true;
      });
      if (!rolledBack) await hooks.beforeCommit?.();
      if (changed && !rolledBack && shared) await notifyWakeup(tx);
      return result;
    });
    if (changed && !rolledBack) wakeups.dispatch();
    return value;
  }

  /**
   * The general path of `apply`: one transaction under the run's row lock — lock, read what is
   * newer than the cache, check the lease, decide, write, claim what is due (`claim-tasks.ts`).
   */
  async function applyLocked(
    runId: string,
    input: RunInput,
    now: number,
    options: ApplyOptions,
  ): Promise<Transition> {
    const runs = new Map<string, RunState>();
    const { transition, loaded } = await mutate(async (tx, changed) => {
      let queued = 0;
      const lastSeq = await lockRun(tx, runId);
      if (lastSeq === undefined) {
        return { transition: runNotFound(runId), loaded: undefined };
      }
      const state = await cache.load(tx, runId, lastSeq);
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
        const write = new StepWrite(state);
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
        const claimed = await claimDueTasks(tx, cache, { ...options.claimNext, now }, runs);
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
    else cache.forget(runId);
    return transition;
  }

  /** An `apply` waiting for its turn on its run. */
  interface PendingApply {
    readonly input: RunInput;
    readonly now: number;
    readonly options: ApplyOptions;
    readonly resolve: (transition: Transition) => void;
    readonly reject: (error: unknown) => void;
  }

  /** Per run, the applies waiting while one of its writes is in flight. */
  const pending = new Map<string, PendingApply[]>();

  /**
   * Runs this store's transitions of one run one after another (they would wait on its row lock
   * anyway), and writes the ones that arrive while a write is in flight together: results that
   * finish at the same moment share one statement and one commit (group commit).
   */
  function enqueueApply(runId: string, item: PendingApply): void {
    const queue = pending.get(runId);
    if (queue !== undefined) {
      queue.push(item);
      return;
    }
    const fresh = [item];
    pending.set(runId, fresh);
    void drain(runId, fresh);
  }

  async function drain(runId: string, queue: PendingApply[]): Promise<void> {
    // Let applies made in the same tick join the first batch.
    await Promise.resolve();
    while (queue.length > 0) {
      const batch = queue.splice(0);
      let done = 0;
      while (done < batch.length) {
        const cached = cache.peek(runId);
        let written = 0;
        if (cached !== undefined) {
          try {
            written = await applyInOneStatement(cached, batch.slice(done));
          } catch {
            // The statement failed, or its answer was lost (it may have committed): the locked
            // path reads what the database holds, decides again, and reports its own error.
            cache.forget(runId);
          }
        }
        if (written > 0) {
          done += written;
          continue;
        }
        const item = batch[done]!;
        done += 1;
        try {
          item.resolve(await applyLocked(runId, item.input, item.now, item.options));
        } catch (error) {
          item.reject(error);
        }
      }
    }
    pending.delete(runId);
  }

  /**
   * The fast path of `apply`, for a run this store has cached: decides the longest prefix of
   * `items` it can on the cached state — each input, then for a worker driving this one run
   * (`claimNext.runId`) the claims of the run's due tasks — and writes them all with one guarded
   * statement outside any explicit transaction: one round trip and one commit for them all. The
   * guard (`sql/write-step.ts`) writes nothing if the run moved past the cached state (another
   * process wrote to it) or a lease is gone. Resolves the items it wrote and returns how many;
   * 0 when the first item needs the locked path (a refusal, an ignored input, claims across runs,
   * a guard that failed), which reads the newer state.
   */
  async function applyInOneStatement(cached: RunState, items: readonly PendingApply[]): Promise<number> {
    const write = new StepWrite(cached);
    const transitions: Transition[] = [];
    let now = 0;
    for (const item of items) {
      const { input, options } = item;
      const { claimNext } = options;
      // Claims across runs take the oldest due task of any run: that needs the queue (locked path).
      if (claimNext !== undefined && claimNext.runId !== cached.runId) break;
      const result = step(write.current, input, item.now);
      if (!result.ok || result.ignored !== undefined) break;
      write.add(result);
      now = Math.max(now, item.now);
      if (endsAttempt(input)) {
        write.finish(input.phaseId, input.attempt);
        if (options.leaseToken !== undefined)
          write.requireLease(input.phaseId, input.attempt, options.leaseToken);
      }
      if (claimNext === undefined) {
        transitions.push(result);
        continue;
      }
      const claimed: ClaimedTask[] = [];
      const leaseMs = claimNext.leaseMs ?? DEFAULT_LEASE_MS;
      for (const task of dueTasks(write.current, result.commands, item.now, claimNext.limit)) {
        const claim = step(
          write.current,
          { type: 'claim', phaseId: task.phaseId, attempt: task.attempt },
          item.now,
        );
        // Not claimable after all: the locked path deletes a stale task.
        if (!claim.ok || claim.ignored !== undefined) return 0;
        write.add(claim);
        const lease = { token: randomUUID(), expiresAt: item.now + leaseMs };
        write.claim(task, lease, claimNext.workerId);
        claimed.push({
          runId: cached.runId,
          ...task,
          state: claim.state,
          events: claim.events,
          commands: claim.commands,
          lease,
        });
      }
      transitions.push({ ...result, claimed });
    }
    if (transitions.length === 0) return 0;
    // Wake others for work left queued and for a run whose status moved (as `mutate` does).
    const changed = write.leftQueued > 0 || write.statusChanged;
    await hooks.beforeCommit?.();
    if (!(await write.write(db, now, changed && shared))) return 0;
    cache.remember(write.current);
    if (changed) wakeups.dispatch();
    transitions.forEach((transition, i) => items[i]!.resolve(transition));
    return transitions.length;
  }

  return {
    async createRun(input, now) {
      const result = step(undefined, input, now);
      if (!result.ok) return result;
      const created = await mutate(async (tx, changed) => {
        if (!(await insertRun(tx, result.state))) {
          tx.rollbackOnReturn();
          return false;
        }
        const write = new StepWrite(result.state, { newRun: true });
        write.add(result);
        await write.writeLocked(tx, now);
        changed();
        return true;
      });
      if (!created) {
        return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
      }
      cache.remember(result.state);
      return result;
    },

    async apply(runId, input, now, options = {}) {
      return new Promise<Transition>((resolve, reject) => {
        enqueueApply(runId, { input, now, options, resolve, reject });
      });
    },

    async claim(options: ClaimOptions) {
      if (options.limit <= 0) return [];
      const runs = new Map<string, RunState>();
      const claimed = await mutate(async (tx) => {
        if (shared) await relaxCommit(tx);
        // A claim only takes work: nobody needs waking.
        const claimed = await claimDueTasks(tx, cache, options, runs);
        return claimed;
      });
      for (const state of runs.values()) cache.remember(state);
      return claimed;
    },

    async nextDue(options = {}) {
      return selectNextDue(db, options.runId);
    },

    async nextWakeup(options = {}) {
      return selectNextWakeup(db, options.runId);
    },

    async heartbeat(leases, now, leaseMs = DEFAULT_LEASE_MS) {
      const renewed = new Set((await renewLeases(db, leases, now + leaseMs)).map(keyOf));
      return {
        lost: leases
          .filter(({ task }) => !renewed.has(keyOf(task)))
          .map(({ task }) => ({ runId: task.runId, phaseId: task.phaseId, attempt: task.attempt })),
      };
    },

    /*
     * One transaction per expired task: lock its run (waiting, like any transition), take the task
     * if its lease is still expired (`sql/take-expired-task.ts`), record `abandon {cause: lost}`.
     * Two recoverers racing for one task serialise on the run's row; the second finds the task
     * done and skips it.
     */
    async recoverExpired(now, options = {}) {
      const expired = await selectExpiredTasks(
        db,
        now,
        options.runId,
        options.limit ?? DEFAULT_RECOVERY_LIMIT,
      );
      const transitions: Transition[] = [];
      for (const task of expired) {
        const transition = await mutate(async (tx, changed) => {
          const lastSeq = await lockRun(tx, task.runId);
          if (lastSeq === undefined || !(await takeExpiredTask(tx, task, now))) return undefined;
          const state = await cache.load(tx, task.runId, lastSeq);
          const result = step(
            state,
            { type: 'abandon', phaseId: task.phaseId, attempt: task.attempt, cause: 'lost' },
            now,
          );
          // A refusal (a phase the run no longer knows) still leaves the task finished.
          if (!result.ok) return undefined;
          const write = new StepWrite(state);
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

    async subscribe(listener) {
      return wakeups.add(listener);
    },

    async publishProgress(event) {
      await progress.publish(event);
    },

    async subscribeProgress(listener) {
      return progress.subscribe(listener);
    },

    async runningTasks(options = {}) {
      return selectRunningTasks(db, options.runId);
    },

    async getRun(runId) {
      const lastSeq = await selectLastSeq(db, runId);
      if (lastSeq === undefined) {
        cache.forget(runId);
        return undefined;
      }
      return cache.load(db, runId, lastSeq);
    },

    async listRuns(options = {}) {
      return selectRuns(db, options.limit);
    },

    async listEvents(runId, options = {}) {
      return selectEvents(db, runId, options.afterSeq ?? 0);
    },

    async getArtifact(runId, phaseId, version) {
      return selectArtifact(db, runId, phaseId, version);
    },

    async getBlob(sha256) {
      return selectBlob(db, sha256);
    },

    async recordModelCall(call) {
      await insertModelCall(db, call);
    },

    async listModelCalls(runId) {
      return selectModelCalls(db, runId);
    },

    async modelUsage(runId) {
      return selectModelUsage(db, runId);
    },

    async close() {
      cache.clear();
      await wakeups.close();
      await progress.close();
      await db.close();
    },
  };
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

function keyOf(task: TaskKey): string {
  return JSON.stringify([task.runId, task.phaseId, task.attempt]);
}

function runNotFound(runId: string): Transition {
  return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
}

function refuse(code: TransitionError['code'], message: string): Transition {
  return { ok: false, error: { code, message } };
}

/**
 * The due tasks of a run whose state is current, oldest first, at most `limit`: its ready phases
 * (each has a queued task) whose retry delay has passed. The tasks `commands` just queued carry
 * their `runAt`; older ones are due since the phase's last change (or its retry time).
 */
function dueTasks(
  state: RunState,
  commands: readonly Command[],
  now: number,
  limit: number,
): Omit<QueuedTask, 'runId'>[] {
  if (limit <= 0) return [];
  const queuedNow = new Map<string, number>();
  for (const command of commands)
    if (command.type === 'enqueue') queuedNow.set(command.phaseId, command.runAt);
  const due: (Omit<QueuedTask, 'runId'> & { order: number })[] = [];
  let order = 0;
  for (const id in state.phases) {
    const phase = state.phases[id]!;
    if (phase.status !== 'ready') continue;
    const kind = state.definitions[phase.id]?.kind;
    if (kind === undefined || kind === 'human') continue;
    const runAt = queuedNow.get(phase.id) ?? phase.notBefore ?? phase.updatedAt;
    if (runAt > now) continue;
    due.push({ phaseId: phase.id, attempt: phase.attempt, kind, runAt, order: order++ });
  }
  due.sort((a, b) => a.runAt - b.runAt || a.order - b.order);
  return due.slice(0, limit).map(({ order: _order, ...task }) => task);
}
