/**
 * The HTTP app: the middleware chain, built once here in this order, then the routes.
 *
 *   errors → request id and log → security headers → CORS → same-origin check → body limit
 *   → public routes (health, ready, the OpenAPI document, setup and login)
 *   → auth → Idempotency-Key (when given) → protected routes (one module per resource)
 *   → the web UI (when built: its files, and its page for any other GET outside `/api`)
 *
 * Handlers are thin: they parse with their route's Zod schema, call a service scoped to the
 * principal's tenant, and answer. Errors of any package become `{error: {code, message}}` with the
 * status of `http-errors.ts`.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './app-env.js';
import type { Authenticator } from './ports/authenticator.js';
import { errorResponse } from './http-errors.js';
import { validationHook } from './validation-hook.js';
import { edgeMiddleware, type EdgeOptions } from './middleware/edge.js';
import { healthRoutes, type HealthOptions } from './routes/health.js';
import { environmentRoutes } from './routes/environments.js';
import { requireAuth } from './middleware/require-auth.js';
import type { WebUi } from './web-ui/web-ui-routes.js';

export type { Authenticator, AuthRequest } from './ports/authenticator.js';

/** A route module mounted behind the auth middleware (or before it, when public). */
export type RouteModule = OpenAPIHono<AppEnv>;

export interface AppOptions extends EdgeOptions, HealthOptions {
  readonly log: Logger;
  readonly authenticator: Authenticator;
  /** Routes anyone may call (setup, login): mounted before the auth middleware. */
  readonly publicRoutes?: readonly RouteModule[];
  /** Routes that need a principal: mounted after it. */
  readonly routes?: readonly RouteModule[];
  /**
   * The `Idempotency-Key` middleware (`createIdempotency`), run on every `/api/*` request right
   * after the auth middleware; without it the header is ignored.
   */
  readonly idempotency?: MiddlewareHandler<AppEnv>;
  /**
   * The built web UI (`webUi(dir)`): served for every GET no route answers outside `/api`, and at
   * `/setup` instead of the API's own minimal setup page.
   */
  readonly webUi?: WebUi;
}

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError((error, c) => {
    const { status, body } = errorResponse(error);
    const log = c.get('log') ?? options.log;
    if (status >= 500) log.error({ err: error }, 'request failed');
    return c.json(body, status);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.use('*', ...edgeMiddleware(options));
  app.route('/', healthRoutes(options));
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Baton API',
      version: '1',
      description: 'Workflows, runs and decisions of a Baton server. Errors are {error: {code, message}}.',
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'baton_session',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  if (options.webUi !== undefined) app.get('/setup', options.webUi.page);
  for (const routes of options.publicRoutes ?? []) app.route('/', routes);
  app.use('/api/*', requireAuth(options.authenticator));
  if (options.idempotency !== undefined) app.use('/api/*', options.idempotency);
  app.route('/', environmentRoutes());
  for (const routes of options.routes ?? []) app.route('/', routes);
  if (options.webUi !== undefined) app.use('*', options.webUi.files);
  return app;
}
