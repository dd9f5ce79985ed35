/**
 * Turns a failed Zod check of a body, query or parameter into a 422 `INVALID_REQUEST` that names
 * every field that failed (`problems: [{path, message}]`). Every route uses it.
 */
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { ApiError, ApiErrorCode } from './http-errors.js';

interface ZodIssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const issues = (result.error as { issues: readonly ZodIssueLike[] }).issues;
  const target = (result as { target?: string }).target ?? 'request';
  const problems = issues.map((issue) => ({
    path: [where(target), ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = problems[0];
  throw new ApiError(
    ApiErrorCode.invalidRequest,
    first === undefined ? `invalid ${where(target)}` : `${first.path}: ${first.message}`,
    { problems },
  );
  void c;
};

function where(target: string): string {
  switch (target) {
    case 'json':
      return 'body';
    case 'param':
      return 'params';
    default:
      return target;
  }
}
