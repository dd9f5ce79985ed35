import type { ErrorCode } from '../errors.js';
import type { ArtifactRef, Command, PhaseKind, RunEvent, RunInput, RunState, RunStatus } from '../types.js';

/** Why a transition was refused. Nothing was written. */
export interface TransitionError {
  readonly code: Extract<
    ErrorCode,
    'INVALID_TRANSITION' | 'PHASE_NOT_FOUND' | 'RUN_NOT_FOUND' | 'INVALID_INPUT'
  >;
  readonly message: string;
}

/**
 * The outcome of applying one input to a run. `ok: false` is an expected outcome (approving a
 * phase that is not waiting), not an exception; the store is unchanged.
 */
export type Transition =
  | {
      readonly ok: true;
      readonly state: RunState;
      /** The events appended by this transition, numbered. Empty when `ignored`. */
      readonly events: readonly RunEvent[];
      /** Every command the scheduler emitted (the store already carried out the transactional ones). */
      readonly commands: readonly Command[];
      /** Set when the input was stale or a duplicate (an old attempt's late result): nothing changed. */
      readonly ignored?: string;
    }
  | { readonly ok: false; readonly error: TransitionError };

/** A task in the queue: one attempt of a phase, due at `runAt`. */
export interface QueuedTask {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  readonly kind: PhaseKind;
  readonly runAt: number;
}

/** A task a worker claimed; `state` is the run right after `phase_started` was recorded. */
export interface ClaimedTask extends QueuedTask {
  readonly state: RunState;
  readonly events: readonly RunEvent[];
  /** The claim's commands: the attempt's `deadline` when its phase has a timeout. */
  readonly commands: readonly Command[];
}

/** One line of `baton runs`. */
export interface RunSummary {
  readonly id: string;
  readonly workflowId: string;
  readonly status: RunStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A stored artifact version with its content. */
export interface StoredArtifact extends ArtifactRef {
  readonly runId: string;
  readonly phaseId: string;
  readonly createdAt: number;
  readonly content: string;
}

export interface ClaimOptions {
  /** Only this run's tasks (the CLI drives one run). */
  readonly runId?: string;
  readonly limit: number;
  readonly now: number;
}

/**
 * Durable storage of runs: the event log, the projections (runs, phases), artifacts and the task
 * queue, all in one database. Every mutation is one transaction decided under a lock on the run's
 * row: append events, update projections, store artifacts and enqueue/dequeue tasks commit together.
 *
 * Implementations: the in-memory store (`testing/`), and `@baton/store` on PGlite and PostgreSQL.
 * All pass `runStoreContract`.
 */
export interface RunStore {
  /** Creates a run from a `create` input (already validated by the caller). */
  createRun(input: Extract<RunInput, { type: 'create' }>, now: number): Promise<Transition>;
  /**
   * Applies `input` to the run under its lock. Results of attempts (`succeed`, `fail`, `abandon`)
   * also mark their task finished, even when the result is stale and ignored.
   */
  apply(runId: string, input: RunInput, now: number): Promise<Transition>;
  /** Claims due queued tasks (skipping stale ones, which are deleted) and records `phase_started`. */
  claim(options: ClaimOptions): Promise<ClaimedTask[]>;
  /** Earliest `runAt` among queued tasks, or undefined when none are queued. */
  nextDue(options?: { readonly runId?: string }): Promise<number | undefined>;
  /** Tasks claimed and not finished: after a crash, their attempts are lost. */
  runningTasks(options?: { readonly runId?: string }): Promise<QueuedTask[]>;
  /** The run's current state (folded from its log), or undefined when there is no such run. */
  getRun(runId: string): Promise<RunState | undefined>;
  /** Runs, newest first. */
  listRuns(options?: { readonly limit?: number }): Promise<RunSummary[]>;
  /** The run's events in order, after `afterSeq` (exclusive). */
  listEvents(runId: string, options?: { readonly afterSeq?: number }): Promise<RunEvent[]>;
  getArtifact(runId: string, phaseId: string, version: number): Promise<StoredArtifact | undefined>;
  close(): Promise<void>;
}
