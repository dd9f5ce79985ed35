/**
 * `createClient`: Baton's HTTP API as typed methods, on `fetch` alone — no Node API, so the web UI
 * and the CLI share it (`@baton/client/node` adds a fetch over the home's Unix socket). Every
 * method answers the parsed JSON of the route and throws an `ApiClientError` for any
 * refusal, with the server's `code`, `message` and `problems`.
 */
import { createHttp, type ClientOptions, type RequestOptions } from './http.js';
import { artifactsApi, type ArtifactsApi } from './resources/artifacts.js';
import { authApi, tokensApi, type AuthApi, type TokensApi } from './resources/auth.js';
import { eventsApi, type EventsApi } from './resources/events.js';
import { runsApi, type RunsApi } from './resources/runs.js';
import { workflowsApi, type WorkflowsApi } from './resources/workflows.js';
import type { EnvironmentList, Health, Ready } from './types/common.js';

/** The API, grouped by resource. */
export interface BatonClient {
  /** `GET /health`: the process is up. */
  health(options?: RequestOptions): Promise<Health>;
  /** `GET /ready`: the database answers and is migrated (`NOT_READY` otherwise). */
  ready(options?: RequestOptions): Promise<Ready>;
  readonly auth: AuthApi;
  readonly tokens: TokensApi;
  readonly workflows: WorkflowsApi;
  readonly runs: RunsApi;
  /** The tenant stream: run changes for dashboards, resumable. */
  readonly events: EventsApi;
  readonly artifacts: ArtifactsApi;
  readonly environments: {
    /** `GET /api/environments`: where tool phases run. */
    list(options?: RequestOptions): Promise<EnvironmentList>;
  };
}

/** A client of the server at `options.baseUrl`. Creating it sends nothing. */
export function createClient(options: ClientOptions): BatonClient {
  const http = createHttp(options);
  return {
    health: (request) => http({ method: 'GET', path: ['health'], options: request }),
    ready: (request) => http({ method: 'GET', path: ['ready'], options: request }),
    auth: authApi(http),
    tokens: tokensApi(http),
    workflows: workflowsApi(http),
    runs: runsApi(http),
    events: eventsApi(http),
    artifacts: artifactsApi(http),
    environments: {
      list: (request) => http({ method: 'GET', path: ['api', 'environments'], options: request }),
    },
  };
}
