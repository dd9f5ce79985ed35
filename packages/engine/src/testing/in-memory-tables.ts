/**
 * The data of one in-memory store, shared by all its views (`in-memory-run-store.ts`): runs,
 * tasks, artifacts, file contents, the ledger, tenants and subscribers — and the helpers that
 * write them on behalf of a step. Every helper expects the caller to hold the store's mutex.
 *
 * Tasks:  queued -> running (claimed, under a lease) -> done (a result arrived, even a stale one;
 *                                                      or its lease expired and it was recovered);
 *         queued -> removed (dequeued, or its claim was stale).
 */
import type { ModelCallRecord } from '../ports/model-calls.js';
import type { PhaseProgressEvent } from '../ports/phase-handler.js';
import {
  LOCAL_TENANT,
  type Lease,
  type RunEventsNotice,
  type QueuedTask,
  type RunningTask,
  type StoredArtifact,
  type Transition,
  type TransitionError,
} from '../ports/run-store.js';
import type { Command, RunEvent, RunState } from '../types.js';
import { AsyncMutex } from './async-mutex.js';
import { joinNotices } from '../run/join-notices.js';

/** A run and its log. */
export interface RunRecord {
  state: RunState;
  readonly events: RunEvent[];
  readonly tenantId: string;
}

/** A task row. */
export interface TaskRecord extends QueuedTask {
  /** Insertion order: ties of `runAt` are claimed in this order. */
  readonly id: number;
  status: 'queued' | 'running' | 'done';
  claimedAt?: number;
  /** The claim, then each heartbeat that renewed the lease. */
  heartbeatAt?: number;
  lease?: Lease;
  workerId?: string;
}

/** Everything one in-memory store holds. */
export interface MemoryTables {
  /** Stands in for the database's locks: every operation runs alone. */
  readonly mutex: AsyncMutex;
  /** Tenant id -> name. */
  readonly tenants: Map<string, string>;
  readonly runs: Map<string, RunRecord>;
  /** By {@link artifactKey}. */
  readonly artifacts: Map<string, StoredArtifact>;
  /** By {@link blobKey}: each tenant keeps its own file contents. */
  readonly blobs: Map<string, string>;
  modelCalls: (ModelCallRecord & { readonly tenantId: string })[];
  tasks: TaskRecord[];
  nextTaskId: number;
  nextLease: number;
  readonly listeners: Set<() => void>;
  readonly progressListeners: Set<(event: PhaseProgressEvent) => void>;
  readonly eventListeners: Set<(notice: RunEventsNotice) => void>;
  /** Runs whose log grew in the operation under way, with their last seq: told after it. */
  readonly appended: Map<string, RunEventsNotice>;
}

/** Empty tables with the local tenant. */
export function createMemoryTables(): MemoryTables {
  return {
    mutex: new AsyncMutex(),
    tenants: new Map([[LOCAL_TENANT, 'Local']]),
    runs: new Map(),
    artifacts: new Map(),
    blobs: new Map(),
    modelCalls: [],
    tasks: [],
    nextTaskId: 1,
    nextLease: 1,
    listeners: new Set(),
    progressListeners: new Set(),
    eventListeners: new Set(),
    appended: new Map(),
  };
}

/**
 * Runs `fn` alone; when it reports a change, wakes the subscribers once it has finished. (A
 * subscriber hears of every tenant's changes: a wake-up carries nothing, it only says re-read.)
 * The event subscribers hear of every run whose log `fn` grew (`record`), with its last seq.
 */
export async function mutate<T>(tables: MemoryTables, fn: (changed: () => void) => T): Promise<T> {
  let changed = false;
  let appended: RunEventsNotice[] = [];
  const result = await tables.mutex.run(() => {
    try {
      return fn(() => {
        changed = true;
      });
    } finally {
      appended = [...tables.appended.values()];
      tables.appended.clear();
    }
  });
  for (const notice of appended) {
    for (const listener of [...tables.eventListeners]) {
      try {
        listener(notice);
      } catch {
        // A notice only tells the subscriber to read; its error must not fail the transition.
      }
    }
  }
  if (changed) {
    for (const listener of [...tables.listeners]) {
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
function carryOut(tables: MemoryTables, run: RunRecord, commands: readonly Command[], now: number): number {
  const runId = run.state.runId;
  let queued = 0;
  for (const command of commands) {
    switch (command.type) {
      case 'enqueue':
        queued += 1;
        if (findTask(tables, runId, command.phaseId, command.attempt) !== undefined) break;
        tables.tasks.push({
          id: tables.nextTaskId++,
          runId,
          tenantId: run.tenantId,
          phaseId: command.phaseId,
          attempt: command.attempt,
          kind: command.kind,
          runAt: command.runAt,
          status: 'queued',
        });
        break;
      case 'dequeue':
        tables.tasks = tables.tasks.filter(
          (t) => !(t.runId === runId && t.phaseId === command.phaseId && t.status === 'queued'),
        );
        break;
      case 'store_artifact':
        for (const file of command.payload.files ?? []) {
          const key = blobKey(run.tenantId, file.sha256);
          if (!tables.blobs.has(key)) tables.blobs.set(key, file.text);
        }
        tables.artifacts.set(artifactKey(runId, command.phaseId, command.artifact.version), {
          ...command.artifact,
          runId,
          phaseId: command.phaseId,
          createdAt: now,
          content: command.payload.text,
        });
        break;
      case 'abort': {
        // Its holder learns at its next heartbeat that the lease is gone.
        const task = findTask(tables, runId, command.phaseId, command.attempt);
        if (task !== undefined) task.status = 'done';
        break;
      }
      case 'deadline':
        break;
    }
  }
  return queued;
}

/**
 * Records a step's outcome; returns how many tasks it queued and whether the run's status moved
 * (what decides a wake-up, as in the SQL store).
 */
export function record(
  tables: MemoryTables,
  run: RunRecord,
  result: { state: RunState; events: readonly RunEvent[]; commands: readonly Command[] },
  now: number,
): { queued: number; statusChanged: boolean } {
  const statusChanged = run.state.status !== result.state.status;
  run.state = result.state;
  run.events.push(...result.events);
  if (result.events.length > 0) {
    const { runId, seq } = result.state;
    const notice = { tenantId: run.tenantId, runId, lastSeq: seq, events: [...result.events] };
    tables.appended.set(runId, joinNotices(tables.appended.get(runId), notice));
  }
  return { queued: carryOut(tables, run, result.commands, now), statusChanged };
}

export function findTask(
  tables: MemoryTables,
  runId: string,
  phaseId: string,
  attempt: number,
): TaskRecord | undefined {
  return tables.tasks.find((t) => t.runId === runId && t.phaseId === phaseId && t.attempt === attempt);
}

export function toQueuedTask(task: TaskRecord): QueuedTask {
  return {
    runId: task.runId,
    tenantId: task.tenantId,
    phaseId: task.phaseId,
    attempt: task.attempt,
    kind: task.kind,
    runAt: task.runAt,
  };
}

export function toRunningTask(task: TaskRecord): RunningTask {
  return { ...toQueuedTask(task), heartbeatAt: task.heartbeatAt ?? task.claimedAt ?? task.runAt };
}

export function artifactKey(runId: string, phaseId: string, version: number): string {
  return JSON.stringify([runId, phaseId, version]);
}

export function blobKey(tenantId: string, sha256: string): string {
  return JSON.stringify([tenantId, sha256]);
}

export function refuse(code: TransitionError['code'], message: string): Transition & { ok: false } {
  return { ok: false, error: { code, message } };
}

/** The refusal of an input for a run the store does not have (or the scope does not see). */
export function runNotFound(runId: string): Transition & { ok: false } {
  return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
}
