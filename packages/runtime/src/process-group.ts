import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** Why {@link runProcessGroup} stopped the command before it finished on its own. */
export const StopReason = {
  timeout: 'timeout',
  abort: 'abort',
  outputTooLarge: 'output_too_large',
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** Options of {@link runProcessGroup}. */
export interface ProcessGroupOptions {
  /** Run with `sh -c`. */
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Stop the group after this long; `null` for no limit. */
  readonly timeoutMs: number | null;
  /** Aborting stops the group. */
  readonly signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL when stopping the group. */
  readonly killGraceMs: number;
  /** Stop the group once stdout exceeds this many bytes. */
  readonly maxStdoutBytes: number;
  /** How many trailing bytes of stderr to keep (8 KiB by default). */
  readonly stderrTailBytes?: number;
  /** Called with the shell's pid (= the group's id) once it is started. */
  readonly onSpawn?: (pid: number) => void;
}

/** How the command ended. */
export interface ProcessGroupResult {
  /** Exit code of the shell; `null` when a signal killed it or it never started. */
  readonly exitCode: number | null;
  /** The signal that killed the shell, if one did. */
  readonly signal: NodeJS.Signals | null;
  /** Everything written to stdout (up to `maxStdoutBytes`). */
  readonly stdout: Buffer;
  /** The last `stderrTailBytes` of stderr, as UTF-8 text. */
  readonly stderrTail: string;
  /** Set when the group was stopped (timeout, abort, output too large) before the shell exited. */
  readonly stopped?: StopReason;
  /** Set when the shell could not be started. */
  readonly spawnError?: Error;
}

/** Longest delay `setTimeout` supports; longer limits are treated as none. */
const maxTimerMs = 2_147_483_647;

/** How long to wait for stdio to close after SIGKILL before giving up on it. */
const closeWaitAfterKillMs = 500;

/**
 * Runs `sh -c command` in its own process group (`detached`), stdin `/dev/null`. On timeout, abort
 * or too much stdout the whole group gets SIGTERM, then SIGKILL after `killGraceMs`. When the shell
 * exits on its own, processes it left behind in its group (`sleep 100 &`) are stopped the same way,
 * so nothing outlives the attempt and the promise resolves promptly. Never rejects.
 */
export function runProcessGroup(options: ProcessGroupOptions): Promise<ProcessGroupResult> {
  const { signal, killGraceMs, maxStdoutBytes } = options;
  const stderrTailBytes = options.stderrTailBytes ?? 8192;

  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn('sh', ['-c', options.command], {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (error) {
      resolve({
        exitCode: null,
        signal: null,
        stdout: Buffer.alloc(0),
        stderrTail: '',
        spawnError: asError(error),
      });
      return;
    }

    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = Buffer.alloc(0);
    let stopped: StopReason | undefined;
    let spawnError: Error | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let terminating = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };

    const finish = () => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: Buffer.concat(stdoutChunks),
        stderrTail: stderrTail.toString('utf8'),
        ...(stopped === undefined ? {} : { stopped }),
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    };

    const terminate = () => {
      if (terminating) return;
      terminating = true;
      killGroup('SIGTERM');
      timers.push(
        setTimeout(() => {
          killGroup('SIGKILL');
          timers.push(
            setTimeout(() => {
              // Something outside the group (a daemon that called setsid) still holds our pipes.
              child.stdout?.destroy();
              child.stderr?.destroy();
              if (exit !== undefined) finish();
              else timers.push(setTimeout(finish, closeWaitAfterKillMs));
            }, closeWaitAfterKillMs),
          );
        }, killGraceMs),
      );
    };

    const stop = (reason: StopReason) => {
      if (exit === undefined && stopped === undefined) stopped = reason;
      terminate();
    };

    function onAbort() {
      stop(StopReason.abort);
    }

    child.stdout?.on('data', (chunk: Buffer) => {
      if (stopped === StopReason.outputTooLarge) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdoutBytes) {
        stop(StopReason.outputTooLarge);
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = Buffer.concat([stderrTail, chunk]);
      if (stderrTail.length > stderrTailBytes)
        stderrTail = stderrTail.subarray(stderrTail.length - stderrTailBytes);
    });
    child.on('error', (error) => {
      spawnError ??= error;
      if (child.pid === undefined) finish();
    });
    child.on('exit', (code, sig) => {
      exit = { code, signal: sig };
      // Stop whatever the shell left running in its group; it would hold our pipes open.
      terminate();
    });
    child.on('close', finish);

    if (options.timeoutMs !== null && options.timeoutMs <= maxTimerMs)
      timers.push(setTimeout(() => stop(StopReason.timeout), options.timeoutMs));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
