import type { Http, MutationOptions, RequestOptions } from '../http.js';
import { streamRun, type RunStreamOptions } from '../run-stream.js';
import type { RunStreamFrame } from '../types/stream.js';
import type {
  BudgetRequest,
  CreateRunRequest,
  DecisionRequest,
  ForkRequest,
  ListRunsQuery,
  ModelCallList,
  OutputVersion,
  ReasonRequest,
  RewindRequest,
  RunEventPage,
  RunList,
  RunSnapshot,
  RunUsage,
  SubmitRequest,
} from '../types/runs.js';

/** `/api/runs`. Every change answers the run's new snapshot. */
export interface RunsApi {
  /** `POST /api/runs`: starts a run of a stored workflow. */
  create(request: CreateRunRequest, options?: MutationOptions): Promise<RunSnapshot>;
  /** `GET /api/runs`: newest first, a page at a time. */
  list(query?: ListRunsQuery, options?: RequestOptions): Promise<RunList>;
  /** `GET /api/runs/:id`. */
  get(id: string, options?: RequestOptions): Promise<RunSnapshot>;
  /** `PATCH /api/runs/:id {title}`. */
  rename(id: string, title: string, options?: MutationOptions): Promise<RunSnapshot>;
  /** `DELETE /api/runs/:id`. */
  delete(id: string, options?: MutationOptions): Promise<void>;
  pause(id: string, request?: ReasonRequest, options?: MutationOptions): Promise<RunSnapshot>;
  resume(id: string, request?: ReasonRequest, options?: MutationOptions): Promise<RunSnapshot>;
  cancel(id: string, request?: ReasonRequest, options?: MutationOptions): Promise<RunSnapshot>;
  /** `POST /api/runs/:id/fork`: answers the new run. */
  fork(id: string, request?: ForkRequest, options?: MutationOptions): Promise<RunSnapshot>;
  retry(id: string, phase: string, request?: ReasonRequest, options?: MutationOptions): Promise<RunSnapshot>;
  /**
   * `POST /api/runs/:id/retry`: retries a failed run from its last checkpoint (the phases after
   * the newest gates passed upstream of each failed phase run again); 409 `INVALID_TRANSITION`
   * unless the run failed.
   */
  retryRun(id: string, request?: ReasonRequest, options?: MutationOptions): Promise<RunSnapshot>;
  skip(id: string, phase: string, request?: ReasonRequest, options?: MutationOptions): Promise<RunSnapshot>;
  rewind(id: string, phase: string, request?: RewindRequest, options?: MutationOptions): Promise<RunSnapshot>;
  /** `POST /api/runs/:id/phases/:phase/decision`. */
  decide(
    id: string,
    phase: string,
    request: DecisionRequest,
    options?: MutationOptions,
  ): Promise<RunSnapshot>;
  /** `POST /api/runs/:id/phases/:phase/submit`: a human phase's output. */
  submit(id: string, phase: string, request: SubmitRequest, options?: MutationOptions): Promise<RunSnapshot>;
  /** `POST /api/runs/:id/budget`. */
  budget(id: string, request: BudgetRequest, options?: MutationOptions): Promise<RunSnapshot>;
  /** `GET /api/runs/:id/phases/:phase/calls`: the phase's model calls. */
  calls(id: string, phase: string, options?: RequestOptions): Promise<ModelCallList>;
  /** `GET /api/runs/:id/events`: the run's events after seq `after` (default 0), at most `limit`. */
  events(
    id: string,
    query?: { readonly after?: number; readonly limit?: number },
    options?: RequestOptions,
  ): Promise<RunEventPage>;
  /**
   * `GET /api/runs/:id/events` as a Server-Sent Events stream: the run's snapshot (or, from
   * `lastEventId`, the events after it), then every event as it is committed, with live progress
   * and heartbeats. It reconnects by itself from the last event taken and never hands an event
   * over twice; it ends when `signal` aborts or the loop is left, and throws a refusal (401, 404
   * `RUN_NOT_FOUND`), `STREAM_UNSUPPORTED` from a server without the stream, or `UNREACHABLE` once
   * `reconnect.attempts` connections in a row failed.
   */
  stream(id: string, options?: RunStreamOptions): AsyncGenerator<RunStreamFrame, void, undefined>;
  /** `GET /api/runs/:id/phases/:phase/versions/:version`: one stored version of a phase's output. */
  outputVersion(id: string, phase: string, version: number, options?: RequestOptions): Promise<OutputVersion>;
  /** `GET /api/runs/:id/usage`: the run's model usage, per phase and in total. */
  usage(id: string, options?: RequestOptions): Promise<RunUsage>;
}

export function runsApi(http: Http): RunsApi {
  const run = (id: string, ...rest: string[]) => ['api', 'runs', id, ...rest];
  const phase = (id: string, phaseId: string, action: string) => run(id, 'phases', phaseId, action);
  const post = <T>(path: string[], body: unknown, options: MutationOptions | undefined) =>
    http<T>({ method: 'POST', path, body: body ?? {}, options });
  return {
    create: (body, options) => post(['api', 'runs'], body, options),
    list: (query = {}, options) =>
      http({
        method: 'GET',
        path: ['api', 'runs'],
        query: { status: query.status, workflow: query.workflow, cursor: query.cursor, limit: query.limit },
        options,
      }),
    get: (id, options) => http({ method: 'GET', path: run(id), options }),
    rename: (id, title, options) => http({ method: 'PATCH', path: run(id), body: { title }, options }),
    delete: (id, options) => http({ method: 'DELETE', path: run(id), options }),
    pause: (id, body, options) => post(run(id, 'pause'), body, options),
    resume: (id, body, options) => post(run(id, 'resume'), body, options),
    cancel: (id, body, options) => post(run(id, 'cancel'), body, options),
    fork: (id, body, options) => post(run(id, 'fork'), body, options),
    retry: (id, phaseId, body, options) => post(phase(id, phaseId, 'retry'), body, options),
    retryRun: (id, body, options) => post(run(id, 'retry'), body, options),
    skip: (id, phaseId, body, options) => post(phase(id, phaseId, 'skip'), body, options),
    rewind: (id, phaseId, body, options) => post(phase(id, phaseId, 'rewind'), body, options),
    decide: (id, phaseId, body, options) => post(phase(id, phaseId, 'decision'), body, options),
    submit: (id, phaseId, body, options) => post(phase(id, phaseId, 'submit'), body, options),
    budget: (id, body, options) => post(run(id, 'budget'), body, options),
    calls: (id, phaseId, options) => http({ method: 'GET', path: phase(id, phaseId, 'calls'), options }),
    events: (id, query = {}, options) =>
      http({
        method: 'GET',
        path: run(id, 'events'),
        query: { after: query.after, limit: query.limit },
        options,
      }),
    stream: (id, options) => streamRun(http, id, options),
    outputVersion: (id, phaseId, version, options) =>
      http({ method: 'GET', path: [...run(id, 'phases', phaseId), 'versions', String(version)], options }),
    usage: (id, options) => http({ method: 'GET', path: run(id, 'usage'), options }),
  };
}
