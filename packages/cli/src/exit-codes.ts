import { ErrorCode, isBatonError, type RunStatus } from '@baton/engine';

/** Exit codes of `baton` — documented in `baton help` and the README. */
export const ExitCode = {
  completed: 0,
  failed: 1,
  badInput: 2,
  waiting: 3,
  internal: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for a run's status once the CLI stops driving it. */
export function exitCodeForStatus(status: RunStatus): ExitCode {
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

/** The exit code for an error that stopped a command. */
export function exitCodeForError(error: unknown): ExitCode {
  if (!isBatonError(error)) return ExitCode.internal;
  switch (error.code) {
    case ErrorCode.invalidDefinition:
    case ErrorCode.invalidInput:
    case ErrorCode.badRequest:
    case ErrorCode.runNotFound:
    case ErrorCode.phaseNotFound:
    case ErrorCode.invalidTransition:
    case ErrorCode.homeLocked:
    case ErrorCode.providerNotConfigured:
    case ErrorCode.fixtureMissing:
    case ErrorCode.invalidLlmMode:
    case ErrorCode.cassetteMiss:
    case ErrorCode.invalidCassette:
    case ErrorCode.invalidConfig:
      return ExitCode.badInput;
    default:
      return ExitCode.internal;
  }
}
