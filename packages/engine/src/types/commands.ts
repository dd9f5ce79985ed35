/**
 * Commands: the effects the runtime carries out after a step's events are committed (queue or
 * drop a task, set a deadline, abort an attempt, store an artifact's content).
 */
import type { ArtifactRef, OutputPayload } from './artifacts.js';
import type { PhaseKind } from './definitions.js';

/** Effects the runtime carries out; `enqueue`/`dequeue`/`store_artifact` inside the same transaction. */
export type Command =
  /** Queue the attempt for a worker, not before `runAt`. */
  | {
      readonly type: 'enqueue';
      readonly phaseId: string;
      readonly attempt: number;
      readonly kind: PhaseKind;
      readonly runAt: number;
    }
  /** Remove the phase's queued (not yet claimed) tasks. */
  | { readonly type: 'dequeue'; readonly phaseId: string }
  /**
   * The attempt that just started must end by `at` (its phase's timeout): past it the runtime stops
   * the attempt and reports a `TIMEOUT` failure.
   */
  | { readonly type: 'deadline'; readonly phaseId: string; readonly attempt: number; readonly at: number }
  /** Stop a running attempt (cancel, fail-fast); its late result will be ignored. */
  | { readonly type: 'abort'; readonly phaseId: string; readonly attempt: number; readonly reason: string }
  /** Store an artifact's content under `(run, phase, version)`. */
  | {
      readonly type: 'store_artifact';
      readonly phaseId: string;
      readonly attempt: number;
      readonly artifact: ArtifactRef;
      readonly payload: OutputPayload;
    };
