/**
 * The working context of one scheduler step, as the input handlers see it. Every state change goes
 * through {@link StepContext.emit}, which numbers the event and folds it into the draft with the
 * same code the log replay uses — so the state a step returns is, by construction, the fold of the
 * events it returns — and checks each phase's move against the transition table
 * (`phase-transitions.ts`).
 *
 * This module only describes the context; `create-step-context.ts` builds it, and the work is done
 * by one module per concern, each calling the others through the context:
 * - `readiness.ts`        — which phases to examine, and whether a phase's needs are met;
 * - `phase-lifecycle.ts`  — making a phase ready, starting it, accepting its output, completing
 *                           or skipping it;
 * - `phase-failure.ts`    — a failed attempt, retries, `onFailure`, cancelling what is unfinished;
 * - `phase-reset.ts`      — sending phases back to `blocked`, reopening an ended run;
 * - `settle.ts`           — settling the run after an input (starting what may start, ending it).
 * Review loops (`review.ts`) and maps (`map.ts`) use the context the same way.
 */
import type {
  ArtifactRef,
  Command,
  OutputPayload,
  PhaseDefinition,
  PhaseError,
  PhaseState,
  PhaseStatus,
  RunEvent,
  RunEventBody,
  RunState,
} from '../types.js';
import type { DraftRunState } from './apply-event.js';
import type { PhaseTransitionTable } from './phase-transitions.js';

/** Options of one scheduler step (`step`). */
export interface StepOptions {
  /**
   * Throw at a phase move the transition table does not allow (a bug in the engine) instead of
   * failing that phase with code `INTERNAL`. For test harnesses; default false, so that in
   * production one bad move never becomes a crash loop.
   */
  readonly strictTransitions?: boolean;
  /**
   * The moves phases may make (default `PHASE_TRANSITIONS`). Only tests pass another: a
   * narrower table makes a correct move count as impossible, standing for a bug in the engine.
   */
  readonly transitions?: PhaseTransitionTable;
}

/** What a new attempt carries: a retry's backoff, a person's or a reviewer's feedback. */
export interface MakeReadyOptions {
  readonly notBefore?: number;
  readonly feedback?: string;
  readonly review?: { readonly by: string; readonly version: number };
}

/** The context of one step: the draft state, the events and commands so far, and the rules. */
export interface StepContext {
  /** The events emitted so far, numbered. */
  readonly events: RunEvent[];
  /** The commands so far. */
  readonly commands: Command[];
  /** The step's time. */
  readonly now: number;
  /** Phases to examine when the step settles (their dependents may have become ready, or they). */
  readonly candidates: Set<string>;
  /** The state so far (after every event emitted). Throws before `run_created`. */
  readonly state: DraftRunState;

  /** A phase's state; throws for an unknown id (a bug: handlers check ids first). */
  phase(id: string): PhaseState;
  /** A phase's definition in the run now; throws for an unknown id. */
  definition(id: string): PhaseDefinition;
  /**
   * Numbers an event, folds it into the state and records it. A phase move the transition table
   * does not allow throws with `strictTransitions`, and is otherwise recorded for the step to fail
   * the phase (`INTERNAL`).
   */
  emit(body: RunEventBody): void;
  /** Records a command for the runtime. */
  command(command: Command): void;

  // readiness.ts
  /** Marks a phase whose dependents must be examined (it completed, was skipped or is in review). */
  unblockDependentsOf(phaseId: string): void;
  /** Marks a phase to be examined itself (it was reset to blocked). */
  examine(phaseId: string): void;
  /** Marks every phase of the run (a new run). */
  examineAll(): void;
  /**
   * True when every phase the given phase needs completed or was skipped — or is in review and
   * this phase is in its review scope — and every reviewed phase it waits for completed.
   */
  needsSatisfied(phaseId: string): boolean;

  // phase-lifecycle.ts
  /** Makes a new attempt ready and starts it unless the run is paused. */
  makeReady(phaseId: string, options?: MakeReadyOptions): void;
  /** Starts a ready phase: queue a task, or (human phases) wait for a person at once. */
  start(phaseId: string): void;
  /** Records an output as the phase's next artifact version and queues its content for storage. */
  recordOutput(
    phaseId: string,
    attempt: number,
    payload: OutputPayload,
    source: 'attempt' | 'edit' | 'submission',
  ): ArtifactRef;
  /**
   * Accepts a produced output: checks it against the phase's schema, then opens the gate or
   * completes the phase. A schema mismatch fails the attempt (retryable).
   */
  acceptOutput(
    phaseId: string,
    attempt: number,
    payload: OutputPayload,
    source: 'attempt' | 'submission',
  ): void;
  /** Completes a phase with an accepted output version (or none). */
  complete(phaseId: string, attempt: number, version: number | undefined): void;
  /** Skips a phase: dependents run without its input; a skipped reviewer ends its review. */
  skip(phaseId: string, reason: string): void;

  // phase-failure.ts
  /**
   * Fails the running attempt: schedules the next attempt while the retry policy allows, otherwise
   * fails the phase for good and applies its `onFailure`.
   */
  failAttempt(phaseId: string, attempt: number, error: PhaseError, retryable: boolean): void;
  /** What a phase's final failure does to the run (`onFailure`). */
  applyOnFailure(phaseId: string, error: PhaseError): void;
  /** Cancels every phase that has not settled: aborts running attempts, drops queued tasks. */
  cancelUnfinished(reason: string, cause: 'fail-fast' | 'run'): void;

  // phase-reset.ts
  /**
   * True when a reset would change the phase: it is not blocked, or it is a map holding items it
   * is to drop.
   */
  hasRun(phaseId: string, keepItems?: boolean): boolean;
  /** The phase and every phase that needs it, directly or not, in topological order. */
  downstreamOf(phaseId: string): string[];
  /**
   * Sends a phase back to `blocked` as if it had never run: aborts its running attempt, drops its
   * queued task, withdraws a pending gate, voids its accepted output (`phase_reset`).
   */
  reset(phaseId: string, reason: string, cause?: 'review', keepItems?: boolean): void;
  /** Reopens a failed run: phases cancelled by a fail-fast go back to `blocked`. */
  reopen(by: string, reason: string, except: string): void;

  // settle.ts
  /**
   * Settles the run after an input: makes ready every examined phase whose needs are met, then ends
   * the run when nothing can move any more. Returns the step's final state.
   */
  settle(): RunState;
}

/** Phase statuses after which a phase needs a person (or nothing) to move again. */
const SETTLED: ReadonlySet<PhaseStatus> = new Set([
  'completed',
  'skipped',
  'failed',
  'rejected',
  'cancelled',
]);

/** True when the phase will not move again without a person: it finished or stopped. */
export function isSettled(status: PhaseStatus): boolean {
  return SETTLED.has(status);
}
