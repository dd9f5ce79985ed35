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
