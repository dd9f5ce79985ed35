/**
 * HOME_BUSY: a driving command (`baton run`, `baton approve`…) holds an embedded `$BATON_HOME` and
 * executes only the run it drives, so a request that needs another run executed — starting or
 * forking one, or a decision or control of another run — cannot be carried out through it. The
 * same message whether the holder refuses it (its socket's API) or the command sees it first.
 */
import { resolve } from 'node:path';
import { displayPath } from './home-lock.js';
import { RuntimeError, RuntimeErrorCode } from './runtime-error.js';

/** Who holds a home and executes only one run. */
export interface OneRunHolder {
  /** `$BATON_HOME`. */
  readonly home: string;
  /** The holding command as typed, without its arguments: `baton run`. */
  readonly command: string;
  readonly pid: number;
  /** The run it executes; undefined while it has not created it yet. */
  readonly runId?: string;
}

/**
 * The HOME_BUSY error for `refused` (what cannot be done, e.g. `cannot start a run`). It is
 * retryable: once the holder ends, the same request works.
 */
export function homeBusyError(holder: OneRunHolder, refused: string): RuntimeError {
  const executes =
    holder.runId === undefined
      ? 'which is starting a run of its own'
      : `which executes only run ${holder.runId}`;
  return new RuntimeError(
    RuntimeErrorCode.homeBusy,
    `${refused}: ${displayPath(resolve(holder.home))} is held by \`${holder.command}\` (pid ${holder.pid}), ${executes} — wait for it to end, or stop it and start \`baton serve\` to run several at once`,
    {
      retryable: true,
      context: { ownerPid: holder.pid, ...(holder.runId === undefined ? {} : { runId: holder.runId }) },
    },
  );
}
