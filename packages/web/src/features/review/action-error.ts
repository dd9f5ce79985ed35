/**
 * What a refused action says to a person: the server's message, and each problem it found with
 * the path of the value (`content.title: must be a string`).
 */
import { isApiClientError } from '@baton/client';
import { messageOf } from '../../app/session.js';

export function actionErrorOf(cause: unknown): string {
  if (!isApiClientError(cause) || cause.problems === undefined || cause.problems.length === 0)
    return messageOf(cause);
  const problems = cause.problems
    .slice(0, 5)
    .map((problem) => (problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`));
  const more = cause.problems.length > 5 ? ` (and ${cause.problems.length - 5} more)` : '';
  return `${cause.message} — ${problems.join('; ')}${more}`;
}
