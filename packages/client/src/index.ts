/**
 * `@baton/client`: the fetch-based client of Baton's HTTP API, shared by the CLI and the web UI.
 * Browser-safe: nothing here imports a Node API (the Unix socket fetch is `@baton/client/node`).
 */
export { createClient, type BatonClient } from './client.js';
export {
  ApiClientError,
  ApiClientErrorCode,
  isApiClientError,
  type ApiClientErrorOptions,
  type ApiProblem,
} from './api-client-error.js';
export type { ClientOptions, FetchLike, MutationOptions, RequestOptions } from './http.js';
export type { AuthApi, TokensApi } from './resources/auth.js';
export type { RunsApi } from './resources/runs.js';
export type {
  EventsApi,
  FollowTenantOptions,
  TenantStream,
  TenantStreamOptions,
} from './resources/events.js';
export type { RunStreamOptions } from './run-stream.js';
export type { ReconnectOptions, StreamOpen, StreamRetry } from './event-stream.js';
export type { ArtifactsApi } from './resources/artifacts.js';
export type { WorkflowsApi } from './resources/workflows.js';
export type * from './types/common.js';
export type * from './types/auth.js';
export type * from './types/workflows.js';
export type * from './types/runs.js';
export type * from './types/events.js';
export type * from './types/stream.js';
export type * from './types/artifacts.js';
