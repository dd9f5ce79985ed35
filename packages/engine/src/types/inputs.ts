/**
 * Inputs: what happens outside the engine (a worker's claim or result, a person's decision or
 * control of the run). The scheduler turns an input into events and commands.
 */
import type { OutputPayload } from './artifacts.js';
import type { Budget, JsonValue, WorkflowDefinition } from './definitions.js';
import type { FixtureSet } from './fixtures.js';
import type { PhaseError } from './run-state.js';
import type { WarningCode } from '../phase-codes.js';

/** Who did something: a user name, `cli`, `worker`, or `auto` for --auto approvals. */
export type Actor = string;

/** Where a run's title came from: a person, or a phase's output (which yields to a person's). */
export type TitleSource = 'person' | 'output';

/** A person's decision on a phase waiting for them. */
export type Decision =
  | { readonly kind: 'approve' }
  | { readonly kind: 'reject' }
  | { readonly kind: 'request_changes'; readonly feedback: string }
  | { readonly kind: 'edit'; readonly output: OutputPayload }
  | { readonly kind: 'submit'; readonly output: OutputPayload };

/** A phase a fork takes over from its source run (see `planFork`). */
export interface ForkedPhase {
  readonly phaseId: string;
  readonly status: 'completed' | 'skipped';
  /** A completed phase's accepted output in the source run (absent when it had none). */
  readonly output?: OutputPayload;
  /** The source's version of that output. */
  readonly sourceVersion?: number;
}

/** Everything that can happen to a run from outside the engine. */
export type RunInput =
  | {
      readonly type: 'create';
      readonly runId: string;
      readonly workflow: WorkflowDefinition;
      readonly fixtures: FixtureSet;
      readonly inputs: Readonly<Record<string, JsonValue>>;
      readonly by: Actor;
      /** The run's title, given by the person who creates it (`run_titled` follows `run_created`). */
      readonly title?: string;
      /**
       * Makes the run a fork: `phases` (which must include every phase each of them needs) start
       * with their source run's results; the others run.
       */
      readonly fork?: {
        readonly runId: string;
        readonly from?: string;
        readonly phases: readonly ForkedPhase[];
      };
    }
  /** A worker takes a queued task. */
  | { readonly type: 'claim'; readonly phaseId: string; readonly attempt: number }
  /** An attempt produced its output. */
  | {
      readonly type: 'succeed';
      readonly phaseId: string;
      readonly attempt: number;
      readonly output: OutputPayload;
    }
  /** An attempt failed. `retryable: false` skips automatic retries (e.g. a missing fixture). */
  | {
      readonly type: 'fail';
      readonly phaseId: string;
      readonly attempt: number;
      readonly error: PhaseError;
      readonly retryable: boolean;
    }
  /** An attempt stopped without a result: its process died (`lost`) or was interrupted. */
  | {
      readonly type: 'abandon';
      readonly phaseId: string;
      readonly attempt: number;
      readonly cause: 'lost' | 'interrupted';
    }
  /**
   * An attempt stopped to wait for a person: an agent's interrupt (with `pauseRun` the run pauses
   * too) or a model call that would cross a budget. The phase waits with that source.
   */
  | {
      readonly type: 'suspend';
      readonly phaseId: string;
      readonly attempt: number;
      readonly source: 'interrupt' | 'budget';
      readonly reason: string;
      readonly pauseRun?: boolean;
    }
  /** A running attempt records a warning (ignored once the attempt is no longer current). */
  | {
      readonly type: 'warn';
      readonly phaseId: string;
      readonly attempt: number;
      readonly code: WarningCode;
      readonly message: string;
    }
  /** A running attempt records one tool call of its agent in the phase's trace (`tool_called`). */
  | {
      readonly type: 'trace';
      readonly phaseId: string;
      readonly attempt: number;
      readonly tool: string;
      readonly input: JsonValue;
      /** What the tool returned (shortened), or why it failed. */
      readonly output?: string;
      readonly error?: string;
    }
  /** A person raises the run's budget (no `phaseId`) or a phase's. */
  | {
      readonly type: 'raise_budget';
      readonly phaseId?: string;
      readonly budget: Budget;
      readonly by: Actor;
      readonly reason?: string;
    }
  | {
      readonly type: 'decide';
      readonly phaseId: string;
      readonly decision: Decision;
      readonly by: Actor;
      readonly reason?: string;
    }
  | { readonly type: 'retry'; readonly phaseId: string; readonly by: Actor; readonly reason?: string }
  | { readonly type: 'skip'; readonly phaseId: string; readonly by: Actor; readonly reason?: string }
  /**
   * Run `phaseId` and everything downstream of it again (running attempts aborted, gates withdrawn,
   * approvals void), optionally with changed run inputs; an ended run reopens.
   */
  | {
      readonly type: 'rewind';
      readonly phaseId: string;
      readonly by: Actor;
      readonly reason?: string;
      /** Run inputs to change (merged into the run's; the result must match the inputs schema). */
      readonly inputs?: Readonly<Record<string, JsonValue>>;
    }
  /**
   * Retry a failed run from its last checkpoint: the phases after the newest gates a person passed
   * upstream of each failed phase run again (see `planRunRetry`); the run reopens.
   */
  | { readonly type: 'retry_run'; readonly by: Actor; readonly reason?: string }
  /**
   * Names the run (any status, ended ones too). `source`: who chose the title — a person (the
   * default), or a phase's output, which never replaces a title a person set.
   */
  | {
      readonly type: 'set_title';
      readonly title: string;
      readonly by: Actor;
      readonly source?: TitleSource;
    }
  | { readonly type: 'pause'; readonly by: Actor; readonly reason?: string }
  | { readonly type: 'resume'; readonly by: Actor }
  | { readonly type: 'cancel'; readonly by: Actor; readonly reason?: string };
export type RunInputType = RunInput['type'];
