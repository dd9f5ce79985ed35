/** `@baton/server`: Baton's HTTP API (Hono) and `baton serve`. */
export { createApp, type AppOptions, type Authenticator, type AuthRequest, type RouteModule } from './app.js';
export type { AppEnv, Principal } from './app-env.js';
export {
  ApiError,
  ApiErrorCode,
  isApiError,
  statusOf,
  errorResponse,
  type ErrorBody,
} from './http-errors.js';
export { startServer, type StartServerOptions, type RunningServer } from './serve/start-server.js';
export { readHomeServerFile, homeSocketPath, type HomeServerInfo } from './serve/home-server-file.js';
export { serveHomeSocket, type HomeSocketOptions, type HomeSocketServer } from './serve/serve-home-socket.js';
export { openHomeDatabase, type HomeDatabase } from './serve/server-database.js';
export { blobStorage, parseBlobThreshold, type BlobStorageOptions } from './serve/blob-storage.js';
export { LOCAL_TENANT } from '@baton/engine';
export type {
  StoredWorkflow,
  WorkflowCatalog,
  WorkflowLibrary,
  WorkflowListingRecord,
  WorkflowRecord,
  WorkflowUpload,
} from './ports/workflow-catalog.js';
export { workflowRoutes, type WorkflowRoutesOptions } from './routes/workflows.js';
export type { WorkflowSummary } from './workflows/workflow-summary.js';
export { runRoutes, type RunRoutesOptions } from './routes/runs.js';
export type { RunsServiceOptions } from './runs/runs-service.js';
export type { PhaseActivity } from './runs/run-view.js';
export type { RunView, RunPage, ModelCallsView, PendingDecision } from './schemas/run.js';
export { listen, type Listener, type ListenTarget } from './listen.js';
export { createAccounts, setupUrl, type Accounts } from './accounts/create-accounts.js';
export type { AccountsOptions, LoginLimits } from './accounts/accounts-context.js';
export type { SetupTokenOptions } from './accounts/setup.js';
export { SESSION_COOKIE } from './accounts/authenticator.js';
export { createIdempotency, REPLAYED_HEADER, type IdempotencyOptions } from './middleware/idempotency.js';
export { EVENT_ALIASES, eventAliases } from './streams/event-aliases.js';
export { artifactRoutes, type ArtifactRoutesOptions } from './routes/artifacts.js';
export { readTreeFile, readVersion, versionToShow } from './artifacts/artifact-versions.js';
export { diffVersions } from './artifacts/artifact-diff.js';
export { planRunArchive, zipRunArchive, type RunArchive } from './artifacts/run-archive.js';
