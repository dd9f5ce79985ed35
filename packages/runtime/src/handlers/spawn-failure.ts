import type { PhaseResult } from '@baton/engine';
import { phaseFailure } from '../phase-results.js';

/**
 * The failure of a tool whose shell could not be started. Retryable unless a retry cannot succeed:
 *
 * - `E2BIG`: the command and its environment together exceed what the operating system accepts
 *   (on Linux a single argument is limited to 128 KiB, all of them to about a quarter of the stack
 *   limit). The same attempt has the same command and environment, so a retry fails the same way.
 * - `ENOENT` / `EACCES`: there is no `sh` on this process's `PATH`, or it may not be executed. That
 *   is how the worker's machine is set up, not something a moment later changes; a retry on it
 *   fails within milliseconds, so the phase fails at once with what to fix.
 *
 * Everything else (`EAGAIN`, `ENOMEM`, `EMFILE`: the machine is out of processes, memory or file
 * descriptors for now) stays retryable. The code is `SPAWN_FAILED` either way.
 */
export function spawnFailure(error: Error, command: string, env: NodeJS.ProcessEnv): PhaseResult {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'E2BIG':
      return phaseFailure(
        'SPAWN_FAILED',
        `could not start sh: the command (${formatSize(Buffer.byteLength(command))}) and its environment ` +
          `(${formatSize(environmentBytes(env))}) are too large for the operating system (E2BIG); ` +
          'write the command to a script file and run that, and pass large values as files rather than ' +
          'run inputs in the environment',
        false,
      );
    case 'ENOENT':
    case 'EACCES':
      return phaseFailure(
        'SPAWN_FAILED',
        `could not start sh (${code}): ${error.message}; make sh executable on this machine's PATH ` +
          `(PATH=${env.PATH ?? ''}), then retry the phase`,
        false,
      );
    default:
      return phaseFailure('SPAWN_FAILED', `could not start sh: ${error.message}`, true);
  }
}

function environmentBytes(env: NodeJS.ProcessEnv): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 2;
  }
  return bytes;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
