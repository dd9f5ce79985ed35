import { AgentsErrorCode } from '@baton/agents/errors';
import { ErrorCode, isBatonError, type RunState, type RunStatus } from '@baton/engine';
import { RuntimeErrorCode } from '@baton/runtime';
import { StoreErrorCode } from '@baton/store';
import { isApiClientError } from '@baton/client';
import { isApiError, statusOf } from '@baton/server/errors';
import { WorkflowsErrorCode } from '@baton/workflows';
import { CliErrorCode } from './cli-error.js';
import { ExitCode } from './exit-code.js';

/** Every error code of every package: what a command can stop with. */
type AnyErrorCode =
  ErrorCode | RuntimeErrorCode | AgentsErrorCode | StoreErrorCode | CliErrorCode | WorkflowsErrorCode;

/**
 * The exit code of each error code — the one table. It is typed against every package's codes, so
 * a new code without an exit code does not compile. Bad input (2) is anything a person fixes:
 * the workflow, the inputs, the command, the config, a provider, fixture or cassette.
 */
const EXIT_CODE_OF_ERROR: Readonly<Record<AnyErrorCode, ExitCode>> = {
  [ErrorCode.invalidDefinition]: ExitCode.badInput,
  [ErrorCode.invalidInput]: ExitCode.badInput,
  [ErrorCode.badRequest]: ExitCode.badInput,
  [ErrorCode.runNotFound]: ExitCode.badInput,
  [ErrorCode.phaseNotFound]: ExitCode.badInput,
  [ErrorCode.invalidTransition]: ExitCode.badInput,
  [ErrorCode.internal]: ExitCode.internal,
  [RuntimeErrorCode.homeLocked]: ExitCode.badInput,
  [RuntimeErrorCode.homeBusy]: ExitCode.badInput,
  [AgentsErrorCode.providerNotConfigured]: ExitCode.badInput,
  [AgentsErrorCode.fixtureMissing]: ExitCode.badInput,
  [AgentsErrorCode.invalidLlmMode]: ExitCode.badInput,
  [AgentsErrorCode.cassetteMiss]: ExitCode.badInput,
  [AgentsErrorCode.invalidCassette]: ExitCode.badInput,
  [AgentsErrorCode.invalidConfig]: ExitCode.badInput,
  [StoreErrorCode.storage]: ExitCode.internal,
  [StoreErrorCode.blobMissing]: ExitCode.internal,
  [CliErrorCode.unsafeZipEntry]: ExitCode.badInput,
  [WorkflowsErrorCode.builtinNotFound]: ExitCode.badInput,
  // A built-in that does not load is a bug in Baton, not the caller's input.
  [WorkflowsErrorCode.builtinInvalid]: ExitCode.internal,
};

/** The exit code the table gives `code`, or `undefined` for a code no package raises. */
function exitCodeForCode(code: string): ExitCode | undefined {
  return Object.hasOwn(EXIT_CODE_OF_ERROR, code) ? EXIT_CODE_OF_ERROR[code as AnyErrorCode] : undefined;
}

/** The exit code for a run's status once the CLI stops driving it. */
function exitCodeForStatus(status: RunStatus): ExitCode {
  switch (status) {
    case 'completed':
      return ExitCode.completed;
    case 'failed':
    case 'cancelled':
      return ExitCode.failed;
    case 'waiting':
    case 'paused':
      return ExitCode.waiting;
    case 'running':
      return ExitCode.internal;
  }
}

/**
 * The exit code for a run once the CLI stops driving it: by its status, except that a failed run
 * exits 2 when one of its failed phases failed with a code the table maps to bad input
 * (`PROVIDER_NOT_CONFIGURED`, `FIXTURE_MISSING`, `CASSETTE_MISS`, `INVALID_CASSETTE`): the run
 * failed on configuration a person fixes, not on the work.
 */
export function exitCodeForRun(state: RunState): ExitCode {
  const exit = exitCodeForStatus(state.status);
  if (state.status !== 'failed') return exit;
  const misconfigured = Object.values(state.phases).some(
    (phase) =>
      phase.status === 'failed' &&
      phase.error !== undefined &&
      exitCodeForCode(phase.error.code) === ExitCode.badInput,
  );
  return misconfigured ? ExitCode.badInput : exit;
}

/**
 * A server's refusal through `--server` or the home's socket: the same code's exit code when the
 * table has it (the engine's codes pass through the API), else by status — a 4xx (no token, a
 * conflict, a bad request) and no answer at all are for a person to fix (2), a 5xx is internal.
 */
function exitCodeForApiError(code: string, status: number): ExitCode {
  const known = exitCodeForCode(code);
  if (known !== undefined) return known;
  if (code === 'UNREACHABLE') return ExitCode.badInput;
  return status >= 400 && status < 500 ? ExitCode.badInput : ExitCode.internal;
}

/**
 * The exit code for an error that stopped a command: its code's, else internal (4). A code of the
 * server's own (`FILE_NOT_FOUND`: the CLI on its home reads artifacts with the server's functions)
 * exits as the server's answer would through `--server`.
 */
export function exitCodeForError(error: unknown): ExitCode {
  if (isApiClientError(error)) return exitCodeForApiError(error.code, error.status);
  if (isApiError(error)) return exitCodeForApiError(error.code, statusOf(error.code));
  if (!isBatonError(error)) return ExitCode.internal;
  return exitCodeForCode(error.code) ?? ExitCode.internal;
}
