import { readFile, stat } from 'node:fs/promises';
import type { PhaseHandler, PhaseResult, PhaseTask } from '@baton/engine';
import type { AttemptProcesses } from '../attempt-processes.js';
import { formatDuration } from '../format-duration.js';
import { createOutputPayload } from '../output-payload.js';
import { abortedResult, phaseFailure } from '../phase-results.js';
import type { PhaseWorkspace } from '../phase-workspace.js';
import { preparePhaseWorkspace } from '../phase-workspace.js';
import type { ProcessGroupResult } from '../process-group.js';
import { runProcessGroup } from '../process-group.js';
import { inheritedToolEnvironment } from '../tool-environment.js';
import { spawnFailure } from './spawn-failure.js';

/** Options of {@link createToolHandler}. */
export interface ToolHandlerOptions {
  /** Directory for the attempts' temporary workspaces; the OS temp directory by default. */
  readonly tmpRoot?: string;
  /** Time between SIGTERM and SIGKILL when stopping a tool (2 s by default). */
  readonly killGraceMs?: number;
  /** Largest output (stdout or the `BATON_OUTPUT` file) an attempt may produce (16 MiB by default). */
  readonly maxOutputBytes?: number;
  /**
   * Where each attempt's process group is recorded while it runs, so that recovering the attempt
   * after this process died stops it (see {@link AttemptProcesses}); unrecorded by default.
   */
  readonly processes?: AttemptProcesses;
  /**
   * The environment every tool process starts from, before the attempt's `BATON_*` variables:
   * `hostToolEnvironment(…)` in a process that runs other people's workflows. By default this
   * process's environment as it is at each attempt (see {@link inheritedToolEnvironment}).
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Default of {@link ToolHandlerOptions.maxOutputBytes}. */
export const defaultMaxOutputBytes = 16 * 1024 * 1024;
/** Default of {@link ToolHandlerOptions.killGraceMs}. */
export const defaultKillGraceMs = 2000;
/** How many trailing characters of stderr a failure message quotes. */
const stderrTailChars = 2000;

/**
 * The handler of `tool` phases: runs `phase.run` with `sh -c` in a fresh temporary directory, stdin
 * `/dev/null`, in its own process group, with the environment of {@link preparePhaseWorkspace} added
 * to `options.env` (this process's environment by default). The output is the `BATON_OUTPUT` file when the tool wrote it, stdout otherwise.
 *
 * Failure codes: `EXIT_CODE` (non-zero exit, quotes the stderr tail), `SIGNAL` (killed by a signal),
 * `TIMEOUT` (`phase.timeoutMs` passed; the group is killed), `OUTPUT_TOO_LARGE`, `OUTPUT_INVALID`
 * (`BATON_OUTPUT` is not a file), `SPAWN_FAILED` (retryable unless it cannot succeed: see
 * {@link spawnFailure}), `NO_COMMAND`, and `ABORTED` (the signal fired; the
 * group is killed; not retryable). The workspace is removed afterwards.
 */
export function createToolHandler(options: ToolHandlerOptions = {}): PhaseHandler {
  const killGraceMs = options.killGraceMs ?? defaultKillGraceMs;
  const maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;

  return {
    kind: 'tool',
    async execute(task: PhaseTask, signal: AbortSignal): Promise<PhaseResult> {
      const command = task.phase.run;
      if (command === undefined || command.trim() === '') {
        return phaseFailure('NO_COMMAND', `tool phase "${task.phaseId}" has no "run" command`, false);
      }
      if (signal.aborted) return abortedResult(signal);
      const workspace = await preparePhaseWorkspace(
        task,
        options.tmpRoot === undefined ? {} : { tmpRoot: options.tmpRoot },
      );
      try {
        if (signal.aborted) return abortedResult(signal);
        const env = { ...(options.env ?? inheritedToolEnvironment(process.env)), ...workspace.env };
        const { processes } = options;
        let recorded = false;
        const result = await runProcessGroup({
          command,
          cwd: workspace.cwd,
          env,
          timeoutMs: task.phase.timeoutMs,
          signal,
          killGraceMs,
          maxStdoutBytes: maxOutputBytes,
          ...(processes === undefined
            ? {}
            : {
                onSpawn: (pid: number) => {
                  processes.started(task, pid);
                  recorded = true;
                },
              }),
        });
        // The group is stopped by now (runProcessGroup leaves nothing running): forget it.
        if (processes !== undefined && recorded) await processes.ended(task);
        if (result.spawnError !== undefined) return spawnFailure(result.spawnError, command, env);
        return await toPhaseResult(task, signal, workspace, result, maxOutputBytes);
      } finally {
        await workspace.dispose();
      }
    },
  };
}

async function toPhaseResult(
  task: PhaseTask,
  signal: AbortSignal,
  workspace: PhaseWorkspace,
  result: ProcessGroupResult,
  maxOutputBytes: number,
): Promise<PhaseResult> {
  switch (result.stopped) {
    case 'abort':
      return abortedResult(signal);
    case 'timeout':
      return phaseFailure('TIMEOUT', `timed out after ${formatDuration(task.phase.timeoutMs ?? 0)}`, true);
    case 'output_too_large':
      return tooLarge(maxOutputBytes);
    case undefined:
      break;
  }
  const tail = stderrTail(result.stderrTail);
  if (result.exitCode === null) {
    const message = `killed by signal ${result.signal ?? 'unknown'}`;
    return phaseFailure('SIGNAL', tail === '' ? message : `${message}: ${tail}`, true);
  }
  if (result.exitCode !== 0) {
    const message = `exited with code ${result.exitCode}`;
    return phaseFailure('EXIT_CODE', tail === '' ? message : `${message}: ${tail}`, true);
  }

  let text: string;
  const written = await stat(workspace.outputPath).catch(() => undefined);
  if (written === undefined) {
    text = result.stdout.toString('utf8');
  } else if (!written.isFile()) {
    return phaseFailure('OUTPUT_INVALID', 'BATON_OUTPUT must be written as a regular file', false);
  } else if (written.size > maxOutputBytes) {
    return tooLarge(maxOutputBytes);
  } else {
    text = await readFile(workspace.outputPath, 'utf8');
  }
  return { ok: true, output: createOutputPayload(text, { expectJson: task.phase.output !== undefined }) };
}

function tooLarge(maxOutputBytes: number): PhaseResult {
  return phaseFailure(
    'OUTPUT_TOO_LARGE',
    `output is larger than the ${formatBytes(maxOutputBytes)} limit; make the phase produce less`,
    false,
  );
}

function stderrTail(stderr: string): string {
  const trimmed = stderr.trim();
  return trimmed.length <= stderrTailChars ? trimmed : trimmed.slice(-stderrTailChars).trim();
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
