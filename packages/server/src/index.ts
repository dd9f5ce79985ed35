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
export { LOCAL_TENANT } from './local-tenant.js';
