/**
 * An in-memory {@link RunStore}: the fake the runtime's tests run against. Same semantics as the
 * database stores (it passes `runStoreContract`), tenancy included: the store is the system scope
 * (its `createRun` makes runs of {@link LOCAL_TENANT}) and hands out views scoped to one tenant or
 * to all, sharing its data (`in-memory-tables.ts`). One mutex per store stands in for the run's row
 * lock, so every operation — transitions and claims alike — runs alone.
 *
 * Every step runs with `strictTransitions`: a phase move the transition table does not allow
 * throws in the tests that use this store instead of failing the phase quietly. Subscribers are
 * called after each operation that appended events or queued work, once it has finished (event
 * subscribers after each that appended events, claims included); this
 * store shares nothing with other stores, so nobody else wakes them. The task queue is in
 * `in-memory-queue.ts`.
 */
import { BatonError } from '../errors.js';
import { deleteRefusal } from '../ports/delete-run.js';
import { sumModelCalls } from '../ports/model-calls.js';
import type { PhaseProgressEvent } from '../ports/phase-handler.js';
import { shrinkProgress } from '../ports/progress.js';
import {
  LOCAL_TENANT,
  type ListRunsOptions,
  type RunEventsNotice,
  type RunStore,
  type RunSummary,
  type ScopedRunStore,
  type Transition,
} from '../ports/run-store.js';
import { endsAttempt } from '../run/results.js';
import { step } from '../run/step.js';
import { claimDue, inScope, leaseNoLongerHeld, queueMethods, STRICT } from './in-memory-queue.js';
import {
  artifactKey,
  blobKey,
  createMemoryTables,
  findTask,
  mutate,
  record,
  refuse,
  runNotFound,
  type MemoryTables,
  type RunRecord,
} from './in-memory-tables.js';

/** Creates an empty in-memory run store (with the local tenant). Everything is lost on `close`. */
export function createInMemoryRunStore(): ScopedRunStore {
  const tables = createMemoryTables();
  const system = createView(tables, undefined);
  return {
    ...system,
    // A view's `close` does nothing (`createView`): only the store's closes.
    forTenant: (tenantId) => createView(tables, tenantId),
    allTenants: () => system,
    ensureTenant(tenant) {
      return tables.mutex.run(() => {
        if (!tables.tenants.has(tenant.id)) tables.tenants.set(tenant.id, tenant.name);
      });
    },
    close() {
      return tables.mutex.run(() => {
        tables.listeners.clear();
        tables.progressListeners.clear();
        tables.eventListeners.clear();
        tables.runs.clear();
        tables.artifacts.clear();
        tables.blobs.clear();
        tables.modelCalls = [];
        tables.tasks = [];
      });
    },
  };
}

/**
 * A view on `tables` that sees one tenant's runs, or every tenant's (`scope` undefined). Its
 * `close` does nothing.
 */
function createView(tables: MemoryTables, scope: string | undefined): RunStore {
  /** The run when the scope sees it. */
  const visible = (runId: string): RunRecord | undefined => {
    const run = tables.runs.get(runId);
    return run !== undefined && inScope(scope, run.tenantId) ? run : undefined;
  };
  const tenantOfNewRuns = scope ?? LOCAL_TENANT;

  return {
    createRun(input, now) {
      return mutate(tables, (changed): Transition => {
        if (!tables.tenants.has(tenantOfNewRuns)) {
          return refuse('INVALID_INPUT', `no tenant "${tenantOfNewRuns}"; add it before creating its runs`);
        }
        if (tables.runs.has(input.runId)) {
          return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
        }
        const result = step(undefined, input, now, STRICT);
        if (!result.ok) return result;
        const run: RunRecord = { state: result.state, events: [], tenantId: tenantOfNewRuns };
        tables.runs.set(input.runId, run);
        record(tables, run, result, now);
        changed();
        return result;
      });
    },

    apply(runId, input, now, options = {}) {
      return mutate(tables, (changed): Transition => {
        const run = visible(runId);
        if (run === undefined) return runNotFound(runId);
        let transition: Extract<Transition, { ok: true }>;
        let queued = 0;
        const lostLease = leaseNoLongerHeld(tables, runId, input, options);
        if (lostLease !== undefined) {
          transition = { ok: true, state: run.state, events: [], commands: [], ignored: lostLease };
        } else {
          const result = step(run.state, input, now, STRICT);
          if (!result.ok) return result;
          const recorded = record(tables, run, result, now);
          queued = recorded.queued;
          if (recorded.statusChanged) changed();
          if (endsAttempt(input)) {
            const task = findTask(tables, runId, input.phaseId, input.attempt);
            if (task !== undefined) task.status = 'done';
          }
          transition = result;
        }
        if (options.claimNext !== undefined) {
          const claimed = claimDue(tables, scope, { ...options.claimNext, now });
          queued -= claimed.length;
          transition = { ...transition, claimed };
        }
        // Wake others only for work left for them and for a run whose status moved.
        if (queued > 0) changed();
        return transition;
      });
    },

    deleteRun(runId) {
      return mutate(tables, (changed) => {
        const run = visible(runId);
        if (run === undefined) return runNotFound(runId);
        const running = tables.tasks.filter((t) => t.runId === runId && t.status === 'running');
        const busy = deleteRefusal(run.state, running);
        if (busy !== undefined) return refuse('INVALID_TRANSITION', busy);
        tables.runs.delete(runId);
        tables.tasks = tables.tasks.filter((t) => t.runId !== runId);
        for (const [key, artifact] of tables.artifacts)
          if (artifact.runId === runId) tables.artifacts.delete(key);
        changed();
        return { ok: true as const };
      });
    },

    ...queueMethods(tables, scope),

    subscribe(listener) {
      // A function object per subscription: subscribing one function twice gives two subscriptions.
      const entry = () => listener();
      tables.listeners.add(entry);
      return Promise.resolve(() => {
        tables.listeners.delete(entry);
        return Promise.resolve();
      });
    },

    subscribeEvents(listener) {
      // A tenant's view hears only its tenant's runs.
      const entry = (notice: RunEventsNotice) => {
        if (inScope(scope, notice.tenantId)) listener(notice);
      };
      tables.eventListeners.add(entry);
      return Promise.resolve(() => {
        tables.eventListeners.delete(entry);
        return Promise.resolve();
      });
    },

    getRun(runId) {
      return tables.mutex.run(() => visible(runId)?.state);
    },

    listRuns(options = {}) {
      return tables.mutex.run(() => listRuns(tables, scope, options));
    },

    listEvents(runId, options = {}) {
      return tables.mutex.run(() =>
        (visible(runId)?.events ?? [])
          .filter((e) => e.seq > (options.afterSeq ?? 0))
          .slice(0, options.limit ?? Number.POSITIVE_INFINITY),
      );
    },

    getArtifact(runId, phaseId, version) {
      return tables.mutex.run(() =>
        visible(runId) === undefined ? undefined : tables.artifacts.get(artifactKey(runId, phaseId, version)),
      );
    },

    getArtifacts(runId, refs) {
      return tables.mutex.run(() =>
        visible(runId) === undefined
          ? refs.map(() => undefined)
          : refs.map((ref) => tables.artifacts.get(artifactKey(runId, ref.phaseId, ref.version))),
      );
    },

    listArtifactVersions(runId, phaseId) {
      return tables.mutex.run(() => {
        if (visible(runId) === undefined) return [];
        return [...tables.artifacts.values()]
          .filter((artifact) => artifact.runId === runId && artifact.phaseId === phaseId)
          .sort((a, b) => a.version - b.version)
          .map(({ content: _content, ...version }) => version);
      });
    },

    publishProgress(event) {
      // A tenant's view publishes for its tenant, and delivers only its tenant's progress.
      const small = shrinkProgress(scope === undefined ? event : { ...event, tenantId: scope });
      for (const listener of [...tables.progressListeners]) {
        try {
          listener(small);
        } catch {
          // A subscriber's error stops neither the others nor the publisher.
        }
      }
      return Promise.resolve();
    },

    subscribeProgress(listener) {
      const entry = (event: PhaseProgressEvent) => {
        if (scope === undefined || event.tenantId === scope) listener(event);
      };
      tables.progressListeners.add(entry);
      return Promise.resolve(() => {
        tables.progressListeners.delete(entry);
        return Promise.resolve();
      });
    },

    getBlob(sha256) {
      return tables.mutex.run(() => {
        if (scope !== undefined) return tables.blobs.get(blobKey(scope, sha256));
        // The system scope: any tenant's copy (the same hash is the same content).
        for (const tenantId of tables.tenants.keys()) {
          const text = tables.blobs.get(blobKey(tenantId, sha256));
          if (text !== undefined) return text;
        }
        return undefined;
      });
    },

    recordModelCall(call) {
      return tables.mutex.run(() => {
        const run = visible(call.runId);
        if (run === undefined) {
          throw new BatonError('RUN_NOT_FOUND', `no run "${call.runId}" to record a model call for`);
        }
        tables.modelCalls.push({ ...call, tenantId: run.tenantId });
      });
    },

    listModelCalls(runId) {
      return tables.mutex.run(() =>
        ledgerOf(tables, scope, runId).map(({ tenantId: _tenant, ...call }) => call),
      );
    },

    modelUsage(runId) {
      return tables.mutex.run(() => sumModelCalls(ledgerOf(tables, scope, runId)));
    },

    close: () => Promise.resolve(),
  };
}

/** The ledger rows of a run the scope sees. */
function ledgerOf(tables: MemoryTables, scope: string | undefined, runId: string) {
  return tables.modelCalls
    .filter((call) => call.runId === runId && inScope(scope, call.tenantId))
    .map((call) => ({ ...call }));
}

/** `listRuns` on the tables (see `ListRunsOptions`). */
function listRuns(tables: MemoryTables, scope: string | undefined, options: ListRunsOptions): RunSummary[] {
  const { before } = options;
  const summaries = [...tables.runs.values()]
    .filter((run) => inScope(scope, run.tenantId))
    .map(({ state, tenantId }): RunSummary => ({
      id: state.runId,
      tenantId,
      workflowId: state.workflow.id,
      status: state.status,
      ...(state.title === undefined ? {} : { title: state.title }),
      ...(state.stage === undefined ? {} : { stage: state.stage }),
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
    }))
    .filter((run) => options.status === undefined || run.status === options.status)
    .filter((run) => options.workflowId === undefined || run.workflowId === options.workflowId)
    .filter(
      (run) =>
        before === undefined ||
        run.createdAt < before.createdAt ||
        (run.createdAt === before.createdAt && run.id < before.id),
    )
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return options.limit === undefined ? summaries : summaries.slice(0, options.limit);
}
