/**
 * Run state: what the fold of a run's events gives — the run's status, and each phase's status,
 * attempts, artifact versions and waits. The allowed moves between phase statuses are in
 * `../run/phase-transitions.ts`.
 */
import type { ArtifactRef } from './artifacts.js';
import type { Budget, JsonValue, PhaseDefinition, WorkflowDefinition } from './definitions.js';
import type { FixtureSet } from './fixtures.js';
import type { PhaseFailureCode, WarningCode } from '../phase-codes.js';
import type { PhaseStatus, RunStatus } from './statuses.js';

export { PhaseStatus, RunStatus } from './statuses.js';

/** Why a phase waits for a person. */
export const WaitSource = {
  gate: 'gate',
  human: 'human',
  interrupt: 'interrupt',
  budget: 'budget',
  review: 'review',
} as const;
export type WaitSource = (typeof WaitSource)[keyof typeof WaitSource];

/** A typed failure of an attempt. `code` is stable (e.g. `EXIT_CODE`, `TIMEOUT`, `OUTPUT_SCHEMA`). */
export interface PhaseError {
  readonly code: PhaseFailureCode;
  readonly message: string;
}

/** A human decision on a waiting phase, or a person's control of a failed phase. */
export type DecisionKind = 'approve' | 'reject' | 'request_changes' | 'edit' | 'submit' | 'retry' | 'skip';
/** One execution of a phase, as the fold sees it. */
export interface AttemptState {
  readonly attempt: number;
  /** `suspended`: it stopped to wait for a person (an agent's interrupt, a budget) without a result. */
  readonly status: 'ready' | 'running' | 'succeeded' | 'failed' | 'abandoned' | 'cancelled' | 'suspended';
  readonly readyAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Artifact version this attempt produced. */
  readonly version?: number;
  readonly error?: PhaseError;
  /** A person's feedback that caused this attempt (request changes). */
  readonly feedback?: string;
  /** Set when it stopped to wait for a person (`suspended`): why. */
  readonly suspended?: { readonly source: 'interrupt' | 'budget'; readonly reason: string };
}

/** What a person is asked to do for a phase. */
export interface WaitingState {
  readonly reason: string;
  readonly source: WaitSource;
  readonly since: number;
  /** The artifact version under review (gates). */
  readonly version?: number;
  /** An advisory or finished review's verdict, shown at the gate as a recommendation. */
  readonly recommendation?: Recommendation;
}

/** A reviewer's verdict attached to the reviewed phase's gate. */
export interface Recommendation {
  readonly by: string;
  readonly verdict: ReviewVerdict;
  /** The reviewer's output version (its findings). */
  readonly version: number;
}

/**
 * One element of a map's items as the scheduler keeps it: its `id` (an object element's `id`)
 * and the indexes of the elements it depends on (`dependsOn`).
 */
export interface MapElement {
  readonly id?: string;
  readonly dependsOn?: readonly number[];
}

/** What a reviewer says of the output it reviewed. */
export type ReviewVerdict = 'approve' | 'revise' | 'fail';

export interface PhaseState {
  readonly id: string;
  readonly status: PhaseStatus;
  /** Latest attempt number (0 before the first). */
  readonly attempt: number;
  /** First attempt of the current automatic-retry series (reset by manual retry / change request). */
  readonly seriesStart: number;
  /** Attempts lost to crashes in the current series. */
  readonly recoveries: number;
  /** A ready phase may not start before this time (retry backoff). */
  readonly notBefore?: number;
  readonly attempts: readonly AttemptState[];
  /** Every stored artifact version of this phase, oldest first. */
  readonly versions: readonly ArtifactRef[];
  /** The accepted output: what dependents receive. */
  readonly output?: ArtifactRef;
  readonly waiting?: WaitingState;
  /** The latest failure (kept while a retry is pending). */
  readonly error?: PhaseError;
  /** Why it was skipped or cancelled. */
  readonly note?: string;
  /** The latest decision a person made on this phase. */
  readonly lastDecision?: {
    readonly decision: DecisionKind;
    readonly by: string;
    readonly at: number;
    readonly reason?: string;
  };
  /** A reviewed phase: revise verdicts in the current round count. */
  readonly reviewRound?: number;
  /** A reviewer: its latest verdict. */
  readonly verdict?: ReviewVerdict;
  /**
   * A map that expanded: the attempt that read the items and the elements (its instances run;
   * the map collects their outputs once they are done).
   */
  readonly expansion?: { readonly attempt: number; readonly elements: readonly MapElement[] };
  /** Set when this phase's result was taken over from another run (`baton fork`). */
  readonly copiedFrom?: { readonly runId: string; readonly version?: number };
  /** Set when a fail-fast cancelled it: a reopened run resets such phases. */
  readonly cancelledBy?: 'fail-fast' | 'run';
  /** Warnings recorded on its attempts (a budget at 80%, a reviewer on its author's model), oldest first. */
  readonly warnings?: readonly PhaseWarning[];
  readonly updatedAt: number;
}

/** A warning an attempt recorded (`phase_warning`). `code` is stable (e.g. `BUDGET_WARNING`). */
export interface PhaseWarning {
  readonly attempt: number;
  readonly code: WarningCode;
  readonly message: string;
  readonly at: number;
}

/** Budgets a person raised during the run (`budget_raised`), over the definition's. */
export interface RaisedBudgets {
  readonly run?: Budget;
  readonly phases?: Readonly<Record<string, Budget>>;
}

export interface RunState {
  readonly runId: string;
  /** Sequence number of the last event folded into this state. */
  readonly seq: number;
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly inputs: Readonly<Record<string, JsonValue>>;
  readonly status: RunStatus;
  readonly paused: boolean;
  /** Set once the run ended (completed/failed/cancelled); cleared when it reopens. */
  readonly ended?: { readonly status: 'completed' | 'failed' | 'cancelled'; readonly reason?: string };
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  /** The run's latest title (`run_titled`), if it has one. */
  readonly title?: string;
  /** Set once a person titled the run: titles from outputs are ignored from then on. */
  readonly titleSetByPerson?: boolean;
  /**
   * The run's stage: the label of the last entry of the workflow's `stages:` that holds now
   * (`runStage`, kept by the fold after every batch of events); absent when none holds.
   */
  readonly stage?: string;
  /** Set when this run is a fork of another (`baton fork`). */
  readonly forkedFrom?: { readonly runId: string; readonly from?: string };
  /** Budgets raised by a person; the effective budget is this over the definition's. */
  readonly budgets?: RaisedBudgets;
  /**
   * Phases keyed by id: the workflow's, and the instances of its maps (also those of an earlier
   * expansion that are no longer part of the run, which keep their attempts and versions).
   */
  readonly phases: Readonly<Record<string, PhaseState>>;
  /**
   * Definitions of the phases in `order`, keyed by id. An expanded map's `needs` include its
   * instances (it collects their outputs); instances need the map's own needs, the template
   * phases before them, and the elements their element depends on.
   */
  readonly definitions: Readonly<Record<string, PhaseDefinition>>;
  /**
   * The phases of the run now, in workflow order, each map preceded by its current instances
   * (elements in dependency order, template phases in template order).
   */
  readonly order: readonly string[];
  /** Expanded maps: map id -> its current instances, in `order`. */
  readonly instances: Readonly<Record<string, readonly string[]>>;
  /** Reverse edges: phase id -> ids of the phases that need it. */
  readonly dependents: Readonly<Record<string, readonly string[]>>;
  /** Review loops: reviewed phase id -> its reviewer's id. */
  readonly reviewerOf: Readonly<Record<string, string>>;
  /**
   * Reviewer id -> the phases that may use the reviewed phase's output while it is `in_review`:
   * those between the two, and the reviewer.
   */
  readonly reviewScope: Readonly<Record<string, readonly string[]>>;
  /**
   * Ordering-only dependencies: phase id -> reviewed phases it waits for (completed) without
   * receiving their output — every phase downstream of a reviewed phase outside its review scope.
   */
  readonly waitsFor: Readonly<Record<string, readonly string[]>>;
}
