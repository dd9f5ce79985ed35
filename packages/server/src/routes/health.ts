/**
 * `/health` (the process is up) and `/ready` (the database answers and its schema is current):
 * public, for load balancers and `npm start`'s own wait.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { errorSchema } from '../schemas/error.js';

export interface HealthOptions {
  /** Resolves when the database answers a query and every migration ran; rejects (or false) when not. */
  readonly ready: () => Promise<boolean>;
}

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'The process is up',
  responses: {
    200: {
      description: 'Up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['health'],
  summary: 'The database is reachable and migrated',
  responses: {
    200: {
      description: 'Ready',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } },
    },
    503: { description: 'Not ready', content: { 'application/json': { schema: errorSchema } } },
  },
});

export function healthRoutes(options: HealthOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyRoute, async (c) => {
    const ready = await options.ready().catch(() => false);
    if (ready) return c.json({ status: 'ready' as const }, 200);
    return c.json(
      { error: { code: 'NOT_READY', message: 'the database is not reachable or not migrated yet' } },
      503,
    );
  });
  return app;
}
