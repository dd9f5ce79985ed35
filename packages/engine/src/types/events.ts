/**
 * Events: the durable, append-only log of a run. Every state change is one event; the state is the
 * fold of the log (`run/apply-event.ts`).
 */
import type { ArtifactRef } from './artifacts.js';
import type { Budget, JsonValue, WorkflowDefinition } from './definitions.js';
import type { FixtureSet } from './fixtures.js';
import type { TitleSource } from './inputs.js';
import type { WarningCode } from '../phase-codes.js';
import type {
  DecisionKind,
  MapElement,
  PhaseError,
  Recommendation,
  ReviewVerdict,
  WaitSource,
} from './run-state.js';

interface EventBase {
  /** Gap-free sequence number within the run, from 1. */
  readonly seq: number;
  /** Epoch milliseconds, from the engine's clock. */
  readonly at: number;
}

/**
 * The durable events of a run. Every state change is one of these; see `docs/engine.md`.
 */
export type RunEventBody =
  | {
      readonly type: 'run_created';
      readonly runId: string;
      readonly workflow: WorkflowDefinition;
      readonly fixtures: FixtureSet;
      readonly inputs: Readonly<Record<string, JsonValue>>;
      readonly by: string;
      /** Set when the run is a fork: the source run and the phase it was forked from. */
      readonly forkedFrom?: { readonly runId: string; readonly from?: string };
    }
  /**
   * A fork took over a phase's result from its source run: `completed` with the source's accepted
   * output (stored again here as `artifact`, version 1), or `skipped`.
   */
  | {
      readonly type: 'phase_copied';
      readonly phaseId: string;
      readonly fromRunId: string;
      readonly status: 'completed' | 'skipped';
      /** The source's artifact version. */
      readonly sourceVersion?: number;
      readonly artifact?: ArtifactRef;
    }
  | {
      readonly type: 'phase_ready';
      readonly phaseId: string;
      readonly attempt: number;
      readonly notBefore?: number;
      readonly feedback?: string;
      /** A reviewer sent the phase back: its id and the version of its output (the findings). */
      readonly review?: { readonly by: string; readonly version: number };
    }
  /** A reviewed phase's output is accepted for its review (`in_review`). */
  | {
      readonly type: 'phase_in_review';
      readonly phaseId: string;
      readonly attempt: number;
      readonly version: number;
    }
  /**
   * A reviewer's attempt ended with a verdict on the phase it reviews (`round`: revise verdicts in
   * the current count, this one included). What follows decides the reviewer's status.
   */
  | {
      readonly type: 'review_verdict';
      readonly phaseId: string;
      readonly attempt: number;
      readonly reviews: string;
      readonly verdict: ReviewVerdict;
      readonly round: number;
      readonly version: number;
    }
  /**
   * A map's attempt read its items: the run gains one instance of the template per element (the
   * attempt succeeded; the map waits for its instances, then collects their outputs).
   */
  | {
      readonly type: 'map_expanded';
      readonly phaseId: string;
      readonly attempt: number;
      readonly elements: readonly MapElement[];
    }
  | { readonly type: 'phase_started'; readonly phaseId: string; readonly attempt: number }
  | {
      readonly type: 'phase_output';
      readonly phaseId: string;
      readonly attempt: number;
      readonly artifact: ArtifactRef;
      readonly source: 'attempt' | 'edit' | 'submission';
    }
  | {
      readonly type: 'phase_completed';
      readonly phaseId: string;
      readonly attempt: number;
      readonly version?: number;
    }
  | {
      readonly type: 'phase_failed';
      readonly phaseId: string;
      readonly attempt: number;
      readonly error: PhaseError;
      /** Set when another attempt will follow automatically. */
      readonly retryAt?: number;
      /** `lost` (crash) or `interrupted` (Ctrl-C) attempts are abandoned rather than failed. */
      readonly abandoned?: 'lost' | 'interrupted';
    }
  | {
      readonly type: 'waiting_for_human';
      readonly phaseId: string;
      readonly attempt: number;
      readonly reason: string;
      readonly source: WaitSource;
      readonly version?: number;
      readonly recommendation?: Recommendation;
    }
  | {
      readonly type: 'human_decision';
      readonly phaseId: string;
      readonly attempt: number;
      readonly decision: DecisionKind;
      readonly by: string;
      readonly reason?: string;
      readonly feedback?: string;
    }
  | { readonly type: 'phase_skipped'; readonly phaseId: string; readonly reason: string }
  | {
      readonly type: 'phase_cancelled';
      readonly phaseId: string;
      readonly reason: string;
      readonly cause: 'fail-fast' | 'run';
    }
  /**
   * The phase goes back to `blocked` as if it had never run: its accepted output, pending gate and
   * open attempt are dropped (old versions stay readable); the next attempt gets a new number.
   */
  | {
      readonly type: 'phase_reset';
      readonly phaseId: string;
      readonly reason: string;
      /** `review`: part of a review round (the reviewed phase keeps its round count). */
      readonly cause?: 'review';
      /**
       * A map keeps its items (and instances) and only collects again; without it an expanded
       * map's instances leave the run and it reads its items again.
       */
      readonly keepItems?: true;
    }
  /**
   * A person rewound the run to `phaseId`: it and everything downstream run again (each reset by a
   * `phase_reset` that follows), with `inputs` (the run inputs that changed) merged into the run's.
   */
  | {
      readonly type: 'run_rewound';
      readonly phaseId: string;
      readonly by: string;
      readonly reason?: string;
      readonly inputs?: Readonly<Record<string, JsonValue>>;
    }
  /** An agent called a tool (its trace): nothing changes but the log. */
  | {
      readonly type: 'tool_called';
      readonly phaseId: string;
      readonly attempt: number;
      readonly tool: string;
      readonly input: JsonValue;
      readonly output?: string;
      readonly error?: string;
    }
  /** An attempt recorded a warning; the phase keeps it in `warnings`. */
  | {
      readonly type: 'phase_warning';
      readonly phaseId: string;
      readonly attempt: number;
      readonly code: WarningCode;
      readonly message: string;
    }
  /**
   * A person raised the run's budget (no `phaseId`) or a phase's: the limits given replace the
   * current ones; phases waiting on a budget run again.
   */
  | {
      readonly type: 'budget_raised';
      readonly phaseId?: string;
      readonly budget: Budget;
      readonly by: string;
      readonly reason?: string;
    }
  /** The run was named (by a person, or from a phase's output); the latest title is the run's. */
  | {
      readonly type: 'run_titled';
      readonly title: string;
      readonly by: string;
      readonly source: TitleSource;
    }
  | { readonly type: 'run_paused'; readonly by: string; readonly reason?: string }
  | { readonly type: 'run_resumed'; readonly by: string }
  | { readonly type: 'run_cancelled'; readonly by: string; readonly reason?: string }
  | { readonly type: 'run_reopened'; readonly by: string; readonly reason: string }
  | { readonly type: 'run_completed' }
  | { readonly type: 'run_failed'; readonly reason: string };

/** A stored event: its body plus sequence number and time. */
export type RunEvent = RunEventBody & EventBase;
export type RunEventType = RunEventBody['type'];

/** An event body with its time, before the store numbers it. */
export type NewRunEvent = RunEventBody & { readonly at: number };
