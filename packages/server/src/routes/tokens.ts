/**
 * `/api/tokens`: make an API token (its secret is in this one answer), list tokens (never their
 * secret or its hash), revoke one. A member manages their own tokens; an owner every token of the
 * tenant. Another tenant's token, or one the principal may not manage, reads as missing (404).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import type { AccountsContext } from '../accounts/accounts-context.js';
import { createApiToken, listApiTokens, revokeToken } from '../accounts/api-tokens.js';
import { errorResponses } from '../schemas/error.js';
import { secured } from '../schemas/security.js';
import { createTokenBodySchema, createdTokenSchema, tokenSummarySchema } from '../schemas/account.js';

export const createTokenRoute = createRoute({
  method: 'post',
  path: '/api/tokens',
  tags: ['tokens'],
  summary: "Make an API token (shown once); only a session or the home's socket may",
  security: secured,
  request: { body: { required: true, content: { 'application/json': { schema: createTokenBodySchema } } } },
  responses: {
    201: { description: 'The token', content: { 'application/json': { schema: createdTokenSchema } } },
    ...errorResponses(401, 403, 409, 422),
  },
});

export const listTokensRoute = createRoute({
  method: 'get',
  path: '/api/tokens',
  tags: ['tokens'],
  summary:
    'The tokens this principal manages, newest first: not revoked ones, and expired ones only for 30 days after they expired',
  security: secured,
  responses: {
    200: {
      description: 'The tokens, without their secrets',
      content: { 'application/json': { schema: z.object({ tokens: z.array(tokenSummarySchema) }) } },
    },
    ...errorResponses(401),
  },
});

export const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/api/tokens/{id}',
  tags: ['tokens'],
  summary: 'Revoke a token (refused at once by every server)',
  security: secured,
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 404) },
});

export function tokenRoutes(ctx: AccountsContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(createTokenRoute, async (c) => {
    const created = await createApiToken(ctx, c.get('principal'), c.req.valid('json'));
    c.set('secretInResponse', true);
    return c.json(created, 201);
  });
  app.openapi(listTokensRoute, async (c) =>
    c.json({ tokens: await listApiTokens(ctx, c.get('principal')) }, 200),
  );
  app.openapi(revokeTokenRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await revokeToken(ctx, c.get('principal'), id)))
      throw new ApiError(ApiErrorCode.notFound, `no token ${id} (GET /api/tokens lists yours)`);
    return c.body(null, 204);
  });
  return app;
}
