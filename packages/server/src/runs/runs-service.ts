/**
 * What the runs routes do, scoped to the principal's tenant: create, list, read, rename and
 * delete runs, record a person's requests (decisions, retries, rewinds, run control, budgets),
 * fork, and read a phase's model calls. Every mutation answers the run's new view; a refusal
 * (`ok: false` from the store, a request that does not fit) writes nothing and throws the
 * engine's error with its code (`http-errors.ts` gives the status).
 */
import { checkHostTools, type HostToolPolicy } from '../host-tools.js';
import {
  BatonError,
  ErrorCode,
  suggest,
  type Clock,
  type JsonValue,
  type RunInput,
  type RunState,
  type RunStatus,
  type RunStore,
  type RunUsage,
  type Transition,
} from '@baton/engine';
import {
  checkRunInputs,
  forkCreateInput,
  invalidRunInputs,
  newRunId as defaultRunId,
  runRequestInput,
  systemClock,
  type RunRequest,
} from '@baton/runtime';
import type { Principal } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import type { WorkflowCatalog } from '../ports/workflow-catalog.js';
import type { ModelCallsView, RunPage, RunView } from '../schemas/run.js';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.js';
import { isoTime } from './iso-time.js';
import { createRunViewCache } from './run-view-cache.js';
import { buildRunView, type PhaseActivity } from './run-view.js';

/** Options of {@link createRunsService} (and of `runRoutes`). */
export interface RunsServiceOptions {
  /** The tenant's runs: every read and write of a request goes through its tenant's store. */
  readonly storeFor: (tenantId: string) => RunStore;
  /** The workflows runs are started from. */
  readonly catalog: WorkflowCatalog;
  /** Names a new run of a workflow (default `<workflow>-<6 chars>`, as the CLI does). */
  readonly newRunId?: (workflowId: string) => string;
  /**
   * When each running attempt of a run last showed activity (a heartbeat, progress), by phase id,
   * in epoch ms. Default: none — a running attempt's activity is its start.
   */
  readonly activityOf?: (runId: string) => Promise<PhaseActivity>;
  /** Time recorded on what a request does (default the system clock). */
  readonly clock?: Clock;
  /** Who may start runs with tool phases (default `allow`; `baton serve` passes `socket`). */
  readonly hostTools?: HostToolPolicy;
}

/** `POST /api/runs`. */
export interface CreateRunRequest {
  readonly workflow: string;
  readonly version?: number;
  readonly inputs?: Record<string, JsonValue>;
  readonly title?: string;
}

/** `GET /api/runs`. */
export interface ListRunsRequest {
  readonly status?: RunStatus;
  readonly workflow?: string;
  readonly cursor?: string;
  readonly limit: number;
}

export type RunsService = ReturnType<typeof createRunsService>;

export function createRunsService(options: RunsServiceOptions) {
  const clock = options.clock ?? systemClock;
  const nameRun = options.newRunId ?? defaultRunId;

  const kept = createRunViewCache();

  async function view(
    principal: Principal,
    store: RunStore,
    state: RunState,
    usageRead?: Promise<RunUsage>,
  ): Promise<RunView> {
    // Only a running attempt shows its activity: nothing to ask when none runs.
    const running = state.order.some((id) => state.phases[id]?.status === 'running');
    const [usage, activity] = await Promise.all([
      usageRead ?? store.modelUsage(state.runId),
      options.activityOf === undefined || !running ? undefined : options.activityOf(state.runId),
    ]);
    const outputs = kept.outputs(principal.tenantId, store);
    return kept.view(principal.tenantId, state, usage, activity, () =>
      buildRunView(store, state, { usage, outputs, ...(activity === undefined ? {} : { activity }) }),
    );
  }

  async function created(principal: Principal, store: RunStore, transition: Transition): Promise<RunView> {
    if (!transition.ok) throw new BatonError(transition.error.code, transition.error.message);
    return view(principal, store, transition.state);
  }

  return {
    /** Starts a run of the tenant's workflow; workers pick it up. */
    async create(principal: Principal, request: CreateRunRequest): Promise<RunView> {
      const store = options.storeFor(principal.tenantId);
      const stored = await options.catalog.get(principal.tenantId, request.workflow, request.version);
      if (stored === undefined) {
        const version = request.version === undefined ? '' : ` version ${request.version}`;
        throw new ApiError(
          ApiErrorCode.workflowNotFound,
          `no workflow "${request.workflow}"${version} — list them with GET /api/workflows`,
        );
      }
      checkHostTools(options.hostTools ?? 'allow', principal, stored.workflow);
      const checked = checkRunInputs(stored.workflow.inputs, request.inputs ?? {});
      if (!checked.ok) throw invalidRunInputs(checked.problems);
      const input: Extract<RunInput, { type: 'create' }> = {
        type: 'create',
        runId: nameRun(stored.workflow.id),
        workflow: stored.workflow,
        fixtures: stored.fixtures,
        inputs: checked.value,
        by: principal.actor,
        ...(request.title === undefined ? {} : { title: request.title }),
      };
      return created(principal, store, await store.createRun(input, clock.now()));
    },

    /** A page of the tenant's runs, newest first. */
    async list(principal: Principal, request: ListRunsRequest): Promise<RunPage> {
      const store = options.storeFor(principal.tenantId);
      const before = request.cursor === undefined ? undefined : decodeRunCursor(request.cursor);
      // One more than the page: whether there is a next page.
      const rows = await store.listRuns({
        ...(request.status === undefined ? {} : { status: request.status }),
        ...(request.workflow === undefined ? {} : { workflowId: request.workflow }),
        ...(before === undefined ? {} : { before }),
        limit: request.limit + 1,
      });
      const page = rows.slice(0, request.limit);
      const last = page.at(-1);
      return {
        runs: page.map((run) => ({
          id: run.id,
          workflow: run.workflowId,
          status: run.status,
          stage: run.stage ?? null,
          ...(run.title === undefined ? {} : { title: run.title }),
          createdAt: isoTime(run.createdAt),
          updatedAt: isoTime(run.updatedAt),
        })),
        ...(rows.length > request.limit && last !== undefined
          ? { nextCursor: encodeRunCursor({ createdAt: last.createdAt, id: last.id }) }
          : {}),
      };
    },

    async get(principal: Principal, runId: string): Promise<RunView> {
      const store = options.storeFor(principal.tenantId);
      // The run and its usage asked at once: one round trip's wait instead of two. (For a missing
      // run the usage is asked for nothing; it reads no other tenant's rows either way.)
      const usage = store.modelUsage(runId);
      usage.catch(() => undefined);
      return view(principal, store, await runOf(store, runId), usage);
    },

    /** Renames the run: a person's title, which an output's never replaces. */
    async rename(principal: Principal, runId: string, title: string): Promise<RunView> {
      const store = options.storeFor(principal.tenantId);
      await runOf(store, runId);
      const input: RunInput = { type: 'set_title', title, by: principal.actor, source: 'person' };
      return created(principal, store, await store.apply(runId, input, clock.now()));
    },

    /** Deletes a run that has nothing running. */
    async remove(principal: Principal, runId: string): Promise<void> {
      const store = options.storeFor(principal.tenantId);
      const deleted = await store.deleteRun(runId);
      if (!deleted.ok) throw new BatonError(deleted.error.code, deleted.error.message);
    },

    /** Records a person's request about the run, then answers its new view. */
    async request(principal: Principal, runId: string, request: RunRequest): Promise<RunView> {
      const store = options.storeFor(principal.tenantId);
      const state = await runOf(store, runId);
      if ('phaseId' in request && request.phaseId !== undefined) phaseOf(state, request.phaseId);
      const input = runRequestInput(state, request, principal.actor);
      return created(principal, store, await store.apply(runId, input, clock.now()));
    },

    /** Forks the run: a new run that takes over what it can of this one's results. */
    async fork(
      principal: Principal,
      runId: string,
      request: { readonly from?: string; readonly inputs?: Record<string, JsonValue> },
    ): Promise<RunView> {
      const store = options.storeFor(principal.tenantId);
      const source = await runOf(store, runId);
      checkHostTools(options.hostTools ?? 'allow', principal, source.workflow);
      if (request.from !== undefined) phaseOf(source, request.from);
      const input = await forkCreateInput(store, source, { ...request, by: principal.actor });
      const transition = await store.createRun(
        { type: 'create', runId: nameRun(source.workflow.id), ...input },
        clock.now(),
      );
      return created(principal, store, transition);
    },

    /** The model calls of a phase over all its attempts, in the order they were made. */
    async calls(principal: Principal, runId: string, phaseId: string): Promise<ModelCallsView> {
      const store = options.storeFor(principal.tenantId);
      phaseOf(await runOf(store, runId), phaseId);
      const calls = (await store.listModelCalls(runId)).filter((call) => call.phaseId === phaseId);
      return {
        calls: calls.map((call) => ({
          model: call.model,
          provider: call.provider,
          inputTokens: call.inputTokens,
          outputTokens: call.outputTokens,
          cachedTokens: call.cachedTokens,
          costUsd: call.costUsd,
          latencyMs: call.latencyMs,
          status: call.status,
          ...(call.error === undefined ? {} : { error: call.error }),
          attempt: call.attempt,
          at: new Date(call.at).toISOString(),
        })),
      };
    },
  };
}

/** The run, or 404 `RUN_NOT_FOUND` (another tenant's run is not in this tenant's store). */
async function runOf(store: RunStore, runId: string): Promise<RunState> {
  const state = await store.getRun(runId);
  if (state === undefined)
    throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with GET /api/runs`);
  return state;
}

/** Checks the run has the phase, or 404 `PHASE_NOT_FOUND` with a did-you-mean. */
function phaseOf(state: RunState, phaseId: string): void {
  if (state.phases[phaseId] !== undefined) return;
  const hint = suggest(phaseId, state.order);
  throw new BatonError(
    ErrorCode.phaseNotFound,
    `run ${state.runId} has no phase "${phaseId}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`,
  );
}
