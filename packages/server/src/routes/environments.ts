/**
 * `GET /api/environments`: where tool phases run. One entry, `host`, until sandboxes add
 * profiles; the web UI's environment selector lists these.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { errorResponses } from '../schemas/error.js';
import { secured } from '../schemas/security.js';

const environmentSchema = z
  .object({
    id: z.string().openapi({ example: 'host' }),
    description: z.string(),
    default: z.boolean(),
  })
  .openapi('Environment');

export const listEnvironments = createRoute({
  method: 'get',
  path: '/api/environments',
  tags: ['environments'],
  summary: 'Where tool phases run',
  security: secured,
  responses: {
    200: {
      description: 'The environments',
      content: { 'application/json': { schema: z.object({ environments: z.array(environmentSchema) }) } },
    },
    ...errorResponses(401),
  },
});

export function environmentRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(listEnvironments, (c) =>
    c.json(
      {
        environments: [
          {
            id: 'host',
            description: "tool phases run as processes on the server's machine",
            default: true,
          },
        ],
      },
      200,
    ),
  );
  return app;
}
