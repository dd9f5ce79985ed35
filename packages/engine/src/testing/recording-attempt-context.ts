import type { WarningCode } from '../phase-codes.js';
import { sumModelCalls, type ModelCallRecord } from '../ports/model-calls.js';
import type { AttemptContext, PhaseProgress } from '../ports/phase-handler.js';

/** An {@link AttemptContext} for handler tests that keeps what the attempt recorded. */
export interface RecordingAttemptContext extends AttemptContext {
  /** The model calls recorded, in order (with the task's run, phase and attempt). */
  readonly calls: ModelCallRecord[];
  readonly warnings: { readonly code: WarningCode; readonly message: string }[];
  /** The tool calls traced, in order. */
  readonly traces: Parameters<AttemptContext['trace']>[0][];
  /** File contents `readBlob` answers, by hash (add to it). */
  readonly blobs: Map<string, string>;
  readonly progress: AttemptContext['progress'] & { readonly updates: PhaseProgress[] };
}

/**
 * A context for one attempt of `task`. `earlier` are calls made before it (other phases of the
 * run, earlier attempts): they count in `usage()`.
 */
export function recordingAttemptContext(
  task: { readonly runId: string; readonly phaseId: string; readonly attempt: number } = {
    runId: 'run-1',
    phaseId: 'build',
    attempt: 1,
  },
  earlier: readonly ModelCallRecord[] = [],
): RecordingAttemptContext {
  const calls: ModelCallRecord[] = [];
  const warnings: { code: WarningCode; message: string }[] = [];
  const updates: PhaseProgress[] = [];
  const traces: Parameters<AttemptContext['trace']>[0][] = [];
  const blobs = new Map<string, string>();
  const progress = Object.assign((update: PhaseProgress) => void updates.push(update), { updates });
  return {
    calls,
    warnings,
    traces,
    blobs,
    progress,
    recordModelCall(call) {
      calls.push({ ...call, runId: task.runId, phaseId: task.phaseId, attempt: task.attempt });
      return Promise.resolve();
    },
    usage() {
      const all = sumModelCalls([...earlier, ...calls]);
      const phase = sumModelCalls([...earlier, ...calls].filter((c) => c.phaseId === task.phaseId));
      return Promise.resolve({ run: all.total, phase: phase.total });
    },
    warn(code, message) {
      warnings.push({ code, message });
      return Promise.resolve();
    },
    trace(call) {
      traces.push(call);
      return Promise.resolve();
    },
    readBlob(sha256) {
      return Promise.resolve(blobs.get(sha256));
    },
  };
}
