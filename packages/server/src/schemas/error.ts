import { z } from '@hono/zod-openapi';

/** The body of every error response (see `http-errors.ts`). */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'RUN_NOT_FOUND' }),
      message: z.string(),
      problems: z
        .array(z.object({ path: z.string(), message: z.string(), hint: z.string().optional() }))
        .optional(),
    }),
  })
  .openapi('Error');

/** Error responses most routes share, for the OpenAPI document. */
export function errorResponses<const S extends readonly number[]>(
  ...statuses: S
): Record<
  S[number],
  { description: string; content: { 'application/json': { schema: typeof errorSchema } } }
> {
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof errorSchema } } }
  > = {};
  for (const status of statuses)
    out[status] = {
      description: DESCRIPTIONS[status] ?? 'Error',
      content: { 'application/json': { schema: errorSchema } },
    };
  return out;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request',
  401: 'No session or token',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Invalid request',
  429: 'Too many requests',
};
