/**
 * An in-memory {@link RunStore}: the fake the runtime's tests run against. Same semantics as the
 * database stores (it passes `runStoreContract`); one mutex per store stands in for the run's row
 * lock, so every operation — transitions and claims alike — runs alone.
 *
 * Tasks:  queued -> running (claimed, under a lease) -> done (a result arrived, even a stale one;
 *                                                      or its lease expired and it was recovered);
 *         queued -> removed (dequeued, or its claim was stale).
 *
 * Lease tokens are `lease-1`, `lease-2` … (unique per store; the fake needs no randomness).
 * Every step runs with `strictTransitions`: a phase move the transition table does not allow
 * throws in the tests that use this store instead of failing the phase quietly.
 * Subscribers are called after each operation that appended events or queued work, once it has
 * finished; this store shares nothing with other stores, so nobody else wakes them.
 *
 * Over 400 lines because: it implements the whole `RunStore` port as one object whose methods
 * share private state (the runs, the tasks, the mutex, the subscribers); the queue's part is
 * already the bulk of it and cannot be lifted out without exposing that state.
 */
import {
  DEFAULT_LEASE_MS,
  type ApplyOptions,
  type ClaimedTask,
  type ClaimOptions,
  type Lease,
  type QueuedTask,
  type RunStore,
  type RunSummary,
  type StoredArtifact,
  type TaskKey,
  type Transition,
  type TransitionError,
} from '../ports/run-store.js';
import { sumModelCalls, type ModelCallRecord } from '../ports/model-calls.js';
import type { PhaseProgressEvent } from '../ports/phase-handler.js';
import { shrinkProgress } from '../ports/progress.js';
import { claimStarted } from '../run/impossible-transitions.js';
import { step } from '../run/step.js';
import { endsAttempt } from '../run/results.js';
import type { Command, RunEvent, RunInput, RunState } from '../types.js';
import { AsyncMutex } from './async-mutex.js';

interface TaskRecord extends QueuedTask {
  /** Insertion order: ties of `runAt` are claimed in this order. */
  readonly id: number;
  status: 'queued' | 'running' | 'done';
  claimedAt?: number;
  lease?: Lease;
  workerId?: string;
}

/** Most expired leases one `recoverExpired` call takes over when the caller sets no limit. */
const DEFAULT_RECOVERY_LIMIT = 100;

interface RunRecord {
  state: RunState;
  readonly events: RunEvent[];
}

/** Every step of this store: an impossible phase move throws (this store only serves tests). */
const STRICT = { strictTransitions: true } as const;

/** Creates an empty in-memory run store. Everything is lost on `close`. */
export function createInMemoryRunStore(): RunStore {
  const mutex = new AsyncMutex();
  const runs = new Map<string, RunRecord>();
  const artifacts = new Map<string, StoredArtifact>();
  let modelCalls: ModelCallRecord[] = [];
  const blobs = new Map<string, string>();
  const progressListeners = new Set<(event: PhaseProgressEvent) => void>();
  let tasks: TaskRecord[] = [];
  let nextTaskId = 1;
  let nextLease = 1;
  const listeners = new Set<() => void>();

  /** Runs `fn` alone; when it reports a change, wakes the subscribers once it has finished. */
  async function mutate<T>(fn: (changed: () => void) => T): Promise<T> {
    let changed = false;
    const result = await mutex.run(() =>
      fn(() => {
        changed = true;
      }),
    );
    if (changed) {
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch {
          // A wake-up only tells the subscriber to re-read; its error must not fail the transition.
        }
      }
    }
    return result;
  }

  /** Carries out the transactional commands of a step; returns how many tasks it queued. */
  function carryOut(runId: string, commands: readonly Command[], now: number): number {
    let queued = 0;
    for (const command of commands) {
      switch (command.type) {
        case 'enqueue':
          queued += 1;
          if (
            tasks.some(
              (t) => t.runId === runId && t.phaseId === command.phaseId && t.attempt === command.attempt,
            )
          ) {
            break;
          }
          tasks.push({
            id: nextTaskId++,
            runId,
            phaseId: command.phaseId,
            attempt: command.attempt,
            kind: command.kind,
            runAt: command.runAt,
            status: 'queued',
          });
          break;
        case 'dequeue':
          tasks = tasks.filter(
            (t) => !(t.runId === runId && t.phaseId === command.phaseId && t.status === 'queued'),
          );
          break;
        case 'store_artifact':
          for (const file of command.payload.files ?? [])
            if (!blobs.has(file.sha256)) blobs.set(file.sha256, file.text);
          artifacts.set(artifactKey(runId, command.phaseId, command.artifact.version), {
            ...command.artifact,
            runId,
            phaseId: command.phaseId,
            createdAt: now,
            content: command.payload.text,
          });
          break;
        case 'abort': {
          // Its holder learns at its next heartbeat that the lease is gone.
          const task = findTask(runId, command.phaseId, command.attempt);
          if (task !== undefined) task.status = 'done';
          break;
        }
      }
    }
    return queued;
  }

  /**
   * Records a step's outcome; returns how many tasks it queued and whether the run's status moved
   * (what decides a wake-up, as in the SQL store).
   */
  function record(
    run: RunRecord,
    result: { state: RunState; events: readonly RunEvent[]; commands: readonly Command[] },
    now: number,
  ): { queued: number; statusChanged: boolean } {
    const statusChanged = run.state.status !== result.state.status;
    run.state = result.state;
    run.events.push(...result.events);
    return { queued: carryOut(result.state.runId, result.commands, now), statusChanged };
  }

  /** Claims due tasks (see `RunStore.claim`); the caller holds the mutex. */
  function claimDue(options: ClaimOptions): ClaimedTask[] {
    const due = tasks
      .filter((t) => t.status === 'queued' && t.runAt <= options.now)
      .filter((t) => options.runId === undefined || t.runId === options.runId)
      .sort((a, b) => a.runAt - b.runAt || a.id - b.id)
      .slice(0, Math.max(0, options.limit));
    const claimed: ClaimedTask[] = [];
    for (const task of due) {
      const run = runs.get(task.runId);
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
        tasks = tasks.filter((t) => t !== task);
        continue;
      }
      record(run, result, options.now);
      // The step failed the phase instead of starting it (a bug in the engine): no task to hand out.
      if (!claimStarted(result, task.phaseId, task.attempt)) continue;
      const lease = {
        token: `lease-${nextLease++}`,
        expiresAt: options.now + (options.leaseMs ?? DEFAULT_LEASE_MS),
      };
      task.status = 'running';
      task.claimedAt = options.now;
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
  function leaseNoLongerHeld(runId: string, input: RunInput, options: ApplyOptions): string | undefined {
    if (options.leaseToken === undefined) return undefined;
    if (!endsAttempt(input)) return undefined;
    // A phase the run does not have is refused by `step` (PHASE_NOT_FOUND), token or not.
    if (runs.get(runId)?.state.phases[input.phaseId] === undefined) return undefined;
    const task = findTask(runId, input.phaseId, input.attempt);
    const what = `attempt ${input.attempt} of "${input.phaseId}"`;
    if (task?.lease?.token !== options.leaseToken) {
      return `the lease on ${what} is no longer held (it expired and the attempt was recovered); result ignored`;
    }
    if (task.status !== 'running') return `${what} already has its result; duplicate ignored`;
    return undefined;
  }

  function findTask(runId: string, phaseId: string, attempt: number): TaskRecord | undefined {
    return tasks.find((t) => t.runId === runId && t.phaseId === phaseId && t.attempt === attempt);
  }

  function toQueuedTask(task: TaskRecord): QueuedTask {
    return {
      runId: task.runId,
      phaseId: task.phaseId,
      attempt: task.attempt,
      kind: task.kind,
      runAt: task.runAt,
    };
  }

  return {
    createRun(input, now) {
      return mutate((changed): Transition => {
        if (runs.has(input.runId)) {
          return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
        }
        const result = step(undefined, input, now, STRICT);
        if (!result.ok) return result;
        runs.set(input.runId, { state: result.state, events: [...result.events] });
        carryOut(input.runId, result.commands, now);
        changed();
        return result;
      });
    },

    apply(runId, input, now, options = {}) {
      return mutate((changed): Transition => {
        const run = runs.get(runId);
        if (run === undefined)
          return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
        let transition: Extract<Transition, { ok: true }>;
        let queued = 0;
        const lostLease = leaseNoLongerHeld(runId, input, options);
        if (lostLease !== undefined) {
          transition = { ok: true, state: run.state, events: [], commands: [], ignored: lostLease };
        } else {
          const result = step(run.state, input, now, STRICT);
          if (!result.ok) return result;
          const recorded = record(run, result, now);
          queued = recorded.queued;
          if (recorded.statusChanged) changed();
          if (endsAttempt(input)) {
            const task = findTask(runId, input.phaseId, input.attempt);
            if (task !== undefined) task.status = 'done';
          }
          transition = result;
        }
        if (options.claimNext !== undefined) {
          const claimed = claimDue({ ...options.claimNext, now });
          queued -= claimed.length;
          transition = { ...transition, claimed };
        }
        // Wake others only for work left for them and for a run whose status moved.
        if (queued > 0) changed();
        return transition;
      });
    },

    claim(options: ClaimOptions) {
      // A claim only takes work: nobody needs waking.
      return mutate(() => claimDue(options));
    },

    nextDue(options = {}) {
      return mutex.run(() => {
        const queued = tasks.filter(
          (t) => t.status === 'queued' && (options.runId === undefined || t.runId === options.runId),
        );
        return queued.length === 0 ? undefined : Math.min(...queued.map((t) => t.runAt));
      });
    },

    nextWakeup(options = {}) {
      return mutex.run(() => {
        const times = tasks
          .filter((t) => options.runId === undefined || t.runId === options.runId)
          .flatMap((t) =>
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
      return mutex.run(() => {
        const lost: TaskKey[] = [];
        for (const { task: key, token } of leases) {
          const task = findTask(key.runId, key.phaseId, key.attempt);
          if (task?.status === 'running' && task.lease?.token === token) {
            task.lease = { token, expiresAt: now + leaseMs };
          } else {
            lost.push({ runId: key.runId, phaseId: key.phaseId, attempt: key.attempt });
          }
        }
        return { lost };
      });
    },

    recoverExpired(now, options = {}) {
      return mutate((changed) => {
        const expired = tasks
          .filter(
            (t) =>
              t.status === 'running' &&
              t.lease !== undefined &&
              t.lease.expiresAt <= now &&
              (options.runId === undefined || t.runId === options.runId),
          )
          .sort((a, b) => a.lease!.expiresAt - b.lease!.expiresAt || a.id - b.id)
          .slice(0, options.limit ?? DEFAULT_RECOVERY_LIMIT);
        const transitions: Transition[] = [];
        for (const task of expired) {
          task.status = 'done';
          const run = runs.get(task.runId);
          if (run === undefined) continue;
          const result = step(
            run.state,
            { type: 'abandon', phaseId: task.phaseId, attempt: task.attempt, cause: 'lost' },
            now,
          );
          if (!result.ok) continue;
          const recorded = record(run, result, now);
          if (recorded.queued > 0 || recorded.statusChanged) changed();
          transitions.push(result);
        }
        return transitions;
      });
    },

    subscribe(listener) {
      // A function object per subscription: subscribing one function twice gives two subscriptions.
      const entry = () => listener();
      listeners.add(entry);
      return Promise.resolve(() => {
        listeners.delete(entry);
        return Promise.resolve();
      });
    },

    runningTasks(options = {}) {
      return mutex.run(() =>
        tasks
          .filter((t) => t.status === 'running' && (options.runId === undefined || t.runId === options.runId))
          .sort((a, b) => (a.claimedAt ?? 0) - (b.claimedAt ?? 0) || a.id - b.id)
          .map(toQueuedTask),
      );
    },

    getRun(runId) {
      return mutex.run(() => runs.get(runId)?.state);
    },

    listRuns(options = {}) {
      return mutex.run((): RunSummary[] => {
        const summaries = [...runs.values()]
          .map(({ state }) => ({
            id: state.runId,
            workflowId: state.workflow.id,
            status: state.status,
            createdAt: state.createdAt,
            updatedAt: state.updatedAt,
          }))
          .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
        return options.limit === undefined ? summaries : summaries.slice(0, options.limit);
      });
    },

    listEvents(runId, options = {}) {
      return mutex.run(() => (runs.get(runId)?.events ?? []).filter((e) => e.seq > (options.afterSeq ?? 0)));
    },

    getArtifact(runId, phaseId, version) {
      return mutex.run(() => artifacts.get(artifactKey(runId, phaseId, version)));
    },

    publishProgress(event) {
      const small = shrinkProgress(event);
      for (const listener of [...progressListeners]) {
        try {
          listener(small);
        } catch {
          // A subscriber's error stops neither the others nor the publisher.
        }
      }
      return Promise.resolve();
    },

    subscribeProgress(listener) {
      const entry = (event: PhaseProgressEvent) => listener(event);
      progressListeners.add(entry);
      return Promise.resolve(() => {
        progressListeners.delete(entry);
        return Promise.resolve();
      });
    },

    getBlob(sha256) {
      return mutex.run(() => blobs.get(sha256));
    },

    recordModelCall(call) {
      return mutex.run(() => {
        if (!runs.has(call.runId)) throw new Error(`no run "${call.runId}" to record a model call for`);
        modelCalls.push({ ...call });
      });
    },

    listModelCalls(runId) {
      return mutex.run(() => modelCalls.filter((call) => call.runId === runId).map((call) => ({ ...call })));
    },

    modelUsage(runId) {
      return mutex.run(() => sumModelCalls(modelCalls.filter((call) => call.runId === runId)));
    },

    close() {
      return mutex.run(() => {
        listeners.clear();
        progressListeners.clear();
        runs.clear();
        artifacts.clear();
        blobs.clear();
        modelCalls = [];
        tasks = [];
      });
    },
  };
}

function artifactKey(runId: string, phaseId: string, version: number): string {
  return JSON.stringify([runId, phaseId, version]);
}

function refuse(code: TransitionError['code'], message: string): Transition {
  return { ok: false, error: { code, message } };
}
