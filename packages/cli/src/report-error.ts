/**
 * What `baton` prints for an error that stopped a command (other than commander's own, which
 * commander prints), and the exit code it exits with: a server's refusal with its problems, a
 * Baton error with its problems, anything else as an internal error with its stack.
 */
import { formatProblems, isBatonError } from '@baton/engine';
import { isApiClientError } from '@baton/client';
import type { ExitCode } from './exit-code.js';
import { exitCodeForError } from './exit-codes.js';

/** Prints `error` on stderr and returns the exit code for it (`exitCodeForError`). */
export function reportError(error: unknown): ExitCode {
  if (isApiClientError(error)) {
    const problems = (error.problems ?? []).map((p) => `\n  ${p.path}: ${p.message}`).join('');
    process.stderr.write(`error: ${error.message}${problems}\n`);
    return exitCodeForError(error);
  }
  if (isBatonError(error)) {
    const details =
      error.problems.length > 0 && !error.message.includes(error.problems[0]?.message ?? '\0')
        ? `\n${formatProblems(error.problems)}`
        : '';
    process.stderr.write(`error: ${error.message}${details}\n`);
  } else {
    process.stderr.write(
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  return exitCodeForError(error);
}
