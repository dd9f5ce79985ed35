/**
 * Pieces the runs route modules share: the security requirement, JSON bodies and responses, and
 * the error responses a run's routes may answer.
 */
import type { z } from '@hono/zod-openapi';
import type { JsonValue } from '@baton/engine';
import { errorResponses } from '../schemas/error.js';
import { runViewSchema } from '../schemas/run.js';

/** Every runs route needs a session or a token. */
export const security: { [scheme: string]: string[] }[] = [{ session: [] }, { bearer: [] }];

/** A required JSON body (an empty request counts as `{}`; any other media type is 415). */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response. */
export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** The run's new view, answered by every change. */
export const runView = jsonResponse(runViewSchema, 'The run, as it is now');

/** What a request about an existing run may be refused with. */
export const runErrors = errorResponses(400, 401, 404, 409, 415, 422);

/** Request bodies were parsed from JSON: their values are JSON. */
export function asJson<T>(value: T): T & Record<string, JsonValue> {
  return value as T & Record<string, JsonValue>;
}
