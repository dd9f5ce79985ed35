/**
 * An in-memory {@link RunStore}: the fake the runtime's tests run against. Same semantics as the
 * database stores (it passes `runStoreContract`); one mutex per store stands in for the run's row
 * lock, so every operation — transitions and claims alike — runs alone.
 *
 * Tasks:  queued -> running (claimed) -> done (a result arrived, even a stale one);
 *         queued -> removed (dequeued, or its claim was stale).
 */
import type {
  ClaimedTask,
  ClaimOptions,
  QueuedTask,
  RunStore,
  RunSummary,
  StoredArtifact,
  Transition,
  TransitionError,
} from '../ports/run-store.js';
import { step } from '../run/step.js';
import type { Command, RunEvent, RunState } from '../types.js';
import { AsyncMutex } from './async-mutex.js';

interface TaskRecord extends QueuedTask {
  /** Insertion order: ties of `runAt` are claimed in this order. */
  readonly id: number;
  status: 'queued' | 'running' | 'done';
  claimedAt?: number;
}

interface RunRecord {
  state: RunState;
  readonly events: RunEvent[];
}

/** Creates an empty in-memory run store. Everything is lost on `close`. */
export function createInMemoryRunStore(): RunStore {
  const mutex = new AsyncMutex();
  const runs = new Map<string, RunRecord>();
  const artifacts = new Map<string, StoredArtifact>();
  let tasks: TaskRecord[] = [];
  let nextTaskId = 1;

  /** Carries out the transactional commands of a step. */
  function carryOut(runId: string, commands: readonly Command[], now: number): void {
    for (const command of commands) {
      switch (command.type) {
        case 'enqueue':
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
          artifacts.set(artifactKey(runId, command.phaseId, command.artifact.version), {
            ...command.artifact,
            runId,
            phaseId: command.phaseId,
            createdAt: now,
            content: command.payload.text,
          });
          break;
        case 'abort':
          break;
      }
    }
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
      return mutex.run((): Transition => {
        if (runs.has(input.runId)) {
          return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
        }
        const result = step(undefined, input, now);
        if (!result.ok) return result;
        runs.set(input.runId, { state: result.state, events: [...result.events] });
        carryOut(input.runId, result.commands, now);
        return result;
      });
    },

    apply(runId, input, now) {
      return mutex.run((): Transition => {
        const run = runs.get(runId);
        if (run === undefined)
          return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
        const result = step(run.state, input, now);
        if (!result.ok) return result;
        run.state = result.state;
        run.events.push(...result.events);
        carryOut(runId, result.commands, now);
        if (input.type === 'succeed' || input.type === 'fail' || input.type === 'abandon') {
          const task = findTask(runId, input.phaseId, input.attempt);
          if (task !== undefined) task.status = 'done';
        }
        return result;
      });
    },

    claim(options: ClaimOptions) {
      return mutex.run((): ClaimedTask[] => {
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
              : step(run.state, { type: 'claim', phaseId: task.phaseId, attempt: task.attempt }, options.now);
          if (run === undefined || result === undefined || !result.ok || result.ignored !== undefined) {
            tasks = tasks.filter((t) => t !== task);
            continue;
          }
          run.state = result.state;
          run.events.push(...result.events);
          carryOut(task.runId, result.commands, options.now);
          task.status = 'running';
          task.claimedAt = options.now;
          claimed.push({
            ...toQueuedTask(task),
            state: result.state,
            events: result.events,
            commands: result.commands,
          });
        }
        return claimed;
      });
    },

    nextDue(options = {}) {
      return mutex.run(() => {
        const queued = tasks.filter(
          (t) => t.status === 'queued' && (options.runId === undefined || t.runId === options.runId),
        );
        return queued.length === 0 ? undefined : Math.min(...queued.map((t) => t.runAt));
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

    close() {
      return mutex.run(() => {
        runs.clear();
        artifacts.clear();
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
