import {
  step,
  type ClaimedTask,
  type ClaimOptions,
  type RunState,
  type RunStore,
  type Transition,
  type TransitionError,
} from '@baton/engine';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { persistTransition } from './persist-transition.js';
import { RunStateCache } from './run-state-cache.js';
import { deleteTask } from './sql/delete-task.js';
import { finishTask } from './sql/finish-task.js';
import { insertRun } from './sql/insert-run.js';
import { lockRun } from './sql/lock-run.js';
import { selectArtifact } from './sql/select-artifact.js';
import { selectDueTasks } from './sql/select-due-tasks.js';
import { selectEvents } from './sql/select-events.js';
import { selectLastSeq } from './sql/select-last-seq.js';
import { selectNextDue } from './sql/select-next-due.js';
import { selectRunningTasks } from './sql/select-running-tasks.js';
import { selectRuns } from './sql/select-runs.js';
import { startTask } from './sql/start-task.js';
import { tryLockRun } from './sql/try-lock-run.js';

/**
 * Brings a database's schema up to date and returns a store on it; closes the database when the
 * migration fails (the error says why).
 */
export async function openMigratedStore(db: Db): Promise<RunStore> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return createSqlRunStore(db);
}

/**
 * A {@link RunStore} over a {@link Db} (PGlite or PostgreSQL; the SQL is the same). The database
 * must be migrated (`migrate`). Closing the store closes the database.
 *
 * Each transition is one transaction under the run's row lock (`sql/lock-run.ts`). The store keeps
 * the latest state of every run it touched in memory and reads only newer events, so several
 * stores (processes) may share one PostgreSQL database.
 */
export function createSqlRunStore(db: Db): RunStore {
  const cache = new RunStateCache();

  return {
    async createRun(input, now) {
      const result = step(undefined, input, now);
      if (!result.ok) return result;
      const created = await db.transaction(async (tx) => {
        if (!(await insertRun(tx, result.state))) {
          tx.rollbackOnReturn();
          return false;
        }
        await persistTransition(tx, undefined, result, now);
        return true;
      });
      if (!created) {
        return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
      }
      cache.remember(result.state);
      return result;
    },

    async apply(runId, input, now) {
      const { transition, loaded } = await db.transaction(async (tx) => {
        const lastSeq = await lockRun(tx, runId);
        if (lastSeq === undefined) {
          return { transition: runNotFound(runId), loaded: undefined };
        }
        const state = await cache.load(tx, runId, lastSeq);
        const result = step(state, input, now);
        if (!result.ok) {
          tx.rollbackOnReturn();
          return { transition: result, loaded: state };
        }
        await persistTransition(tx, state, result, now);
        // A result finishes its task even when it is stale: nobody will deliver it again.
        if (input.type === 'succeed' || input.type === 'fail' || input.type === 'abandon') {
          await finishTask(tx, runId, input.phaseId, input.attempt, now);
        }
        return { transition: result as Transition, loaded: state };
      });
      if (transition.ok) cache.remember(transition.state);
      else if (loaded !== undefined) cache.remember(loaded);
      else cache.forget(runId);
      return transition;
    },

    /*
     * Locking: due tasks are locked with FOR UPDATE SKIP LOCKED (`sql/select-due-tasks.ts`), so
     * racing claimers split the queue instead of sharing or waiting; then each task's run is
     * locked with SKIP LOCKED too (`sql/try-lock-run.ts`) and the claim is decided under that
     * lock exactly like any other transition. A run busy with another transition is left for the
     * next poll: waiting for it while holding task locks could deadlock with a transition that
     * dequeues those tasks. On PGlite, transactions run one at a time anyway.
     */
    async claim(options: ClaimOptions) {
      if (options.limit <= 0) return [];
      const { claimed, states } = await db.transaction(async (tx) => {
        const due = await selectDueTasks(tx, options);
        const claimed: ClaimedTask[] = [];
        const states = new Map<string, RunState>();
        const busy = new Set<string>();
        for (const task of due) {
          if (busy.has(task.runId)) continue;
          let state = states.get(task.runId);
          if (state === undefined) {
            const lastSeq = await tryLockRun(tx, task.runId);
            if (lastSeq === undefined) {
              busy.add(task.runId);
              continue;
            }
            state = await cache.load(tx, task.runId, lastSeq);
          }
          const result = step(
            state,
            { type: 'claim', phaseId: task.phaseId, attempt: task.attempt },
            options.now,
          );
          if (!result.ok || result.ignored !== undefined) {
            // A stale task (the run was paused or cancelled, the attempt superseded): drop it.
            await deleteTask(tx, task.runId, task.phaseId, task.attempt);
            states.set(task.runId, state);
            continue;
          }
          await persistTransition(tx, state, result, options.now);
          await startTask(tx, task.runId, task.phaseId, task.attempt, options.now);
          states.set(task.runId, result.state);
          claimed.push({ ...task, state: result.state, events: result.events, commands: result.commands });
        }
        return { claimed, states };
      });
      for (const state of states.values()) cache.remember(state);
      return claimed;
    },

    async nextDue(options = {}) {
      return selectNextDue(db, options.runId);
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

    async close() {
      cache.clear();
      await db.close();
    },
  };
}

function runNotFound(runId: string): Transition {
  return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
}

function refuse(code: TransitionError['code'], message: string): Transition {
  return { ok: false, error: { code, message } };
}
