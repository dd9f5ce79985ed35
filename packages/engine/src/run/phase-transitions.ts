/**
 * The phase state machine: every status a phase can be in and every move between two statuses the
 * scheduler makes. A move is one event that changes a phase's status; events that leave it as it
 * was (a second `waiting_for_human` that only changes what the person is asked) are no move.
 *
 * Statuses (`PhaseStatus`, `types/run-state.ts`):
 * - `blocked`            waits for what it needs (every phase starts here);
 * - `ready`              may start (at `notBefore` when a retry backs off); its task is queued;
 * - `running`            an attempt executes (a human phase: its person was asked);
 * - `waiting_for_human`  waits for a person: a gate, a human phase's submission, an agent's
 *                        interrupt, a budget, a reviewer out of rounds;
 * - `in_review`          its output waits for its reviewer's verdict;
 * - `completed`          done, with its accepted output;
 * - `skipped`            done without an output;
 * - `failed`             its last attempt failed for good (or a retry is about to follow);
 * - `rejected`           a person rejected it;
 * - `cancelled`          the run was cancelled, or a fail-fast phase failed.
 *
 * Moves (event, and what causes it):
 * - blocked           -> ready              `phase_ready`: its needs are met (settle)
 * - blocked           -> skipped            `phase_skipped`: a `reReview: false` reviewer after its fix
 *                                          round; `phase_copied`: a fork takes over a skip
 * - blocked           -> completed          `phase_copied`: a fork takes over a result
 * - blocked           -> cancelled          `phase_cancelled`: run cancelled, fail-fast
 * - ready             -> running            `phase_started`: a claim; a human phase starts at once
 * - ready             -> blocked            `phase_reset`: rewind, a review round, a map re-reading
 * - ready             -> cancelled          `phase_cancelled`
 * - running           -> waiting_for_human  `waiting_for_human`: a gate, a human phase, an
 *                                          interrupt or budget (`suspend`), a reviewer out of rounds
 * - running           -> in_review          `phase_in_review`: a reviewed phase's output
 * - running           -> completed          `phase_completed`
 * - running           -> failed             `phase_failed`: a failure, a lost or interrupted attempt
 * - running           -> blocked            `map_expanded`: a map read its items; `phase_reset`
 * - running           -> cancelled          `phase_cancelled`
 * - waiting_for_human -> ready              `phase_ready`: a change request, an interrupt answered,
 *                                          a budget raised
 * - waiting_for_human -> completed          `phase_completed`: approve, edit, a submission
 * - waiting_for_human -> rejected           `human_decision {reject}`
 * - waiting_for_human -> in_review          `phase_in_review`: a submission to a reviewed phase
 * - waiting_for_human -> failed             `phase_failed`: an interrupted reviewer answered with a
 *                                          verdict that fails, or an interrupted map with items it
 *                                          cannot read
 * - waiting_for_human -> blocked            `phase_reset`; `map_expanded` (an interrupted map answered)
 * - waiting_for_human -> cancelled          `phase_cancelled`
 * - in_review         -> waiting_for_human  `waiting_for_human`: its reviewer is done, its gate opens
 * - in_review         -> completed          `phase_completed`: its reviewer is done
 * - in_review         -> blocked            `phase_reset`: a revise verdict, rewind
 * - in_review         -> cancelled          `phase_cancelled`
 * - completed         -> blocked            `phase_reset`
 * - skipped           -> blocked            `phase_reset`
 * - failed            -> ready              `phase_ready`: an automatic or a person's retry
 * - failed            -> skipped            `phase_skipped`: `onFailure: skip`, a person's skip
 * - failed            -> blocked            `phase_reset`: rewind, a retry before its needs are met
 * - rejected          -> ready              `phase_ready`: a person's retry
 * - rejected          -> skipped            `phase_skipped`: a person's skip; `onReject: skip`, in the
 *                                          step of the reject
 * - rejected          -> blocked            `phase_reset`
 * - cancelled         -> ready              `phase_ready`: a person's retry
 * - cancelled         -> skipped            `phase_skipped`: a person's skip
 * - cancelled         -> blocked            `phase_reset`: a reopened run, rewind
 *
 * Any other move is a bug in the engine. The scheduler checks each move of a step against this
 * table (`StepContext.emit`): with `strictTransitions` (the test harnesses) an impossible move
 * throws; otherwise the step is replaced by one that fails the phase with code `INTERNAL` (see
 * `impossible-transitions.ts`) — the only move outside the table, from any status to `failed`.
 */
import { PhaseStatus } from '../types.js';

/** Every phase status, in the order of the table. */
export const PHASE_STATUSES: readonly PhaseStatus[] = Object.values(PhaseStatus);

/** A table of phase moves: from each status, the statuses a phase may go to. */
export type PhaseTransitionTable = { readonly [From in PhaseStatus]: readonly PhaseStatus[] };

/** The moves between phase statuses the scheduler makes: from -> the statuses it may go to. */
export const PHASE_TRANSITIONS: PhaseTransitionTable = {
  blocked: ['ready', 'skipped', 'completed', 'cancelled'],
  ready: ['running', 'blocked', 'cancelled'],
  running: ['waiting_for_human', 'in_review', 'completed', 'failed', 'blocked', 'cancelled'],
  waiting_for_human: ['ready', 'completed', 'rejected', 'in_review', 'failed', 'blocked', 'cancelled'],
  in_review: ['waiting_for_human', 'completed', 'blocked', 'cancelled'],
  completed: ['blocked'],
  skipped: ['blocked'],
  failed: ['ready', 'skipped', 'blocked'],
  rejected: ['ready', 'skipped', 'blocked'],
  cancelled: ['ready', 'skipped', 'blocked'],
};

/** True when the table allows a phase to go from `from` to `to`; staying put is always allowed. */
export function isPhaseTransition(
  from: PhaseStatus,
  to: PhaseStatus,
  table: PhaseTransitionTable = PHASE_TRANSITIONS,
): boolean {
  return from === to || table[from].includes(to);
}

/** A move the table does not allow, as the scheduler met it. */
export interface ImpossibleTransition {
  readonly phaseId: string;
  readonly from: PhaseStatus;
  readonly to: PhaseStatus;
  /** The event that made the move. */
  readonly event: string;
}

/** `phase "x": impossible transition running -> blocked (phase_reset)`. */
export function describeImpossibleTransition(move: ImpossibleTransition): string {
  return `phase "${move.phaseId}": impossible transition ${move.from} -> ${move.to} (${move.event})`;
}
