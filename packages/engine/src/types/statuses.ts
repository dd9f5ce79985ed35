/**
 * The statuses of a phase and of a run: their own file, so that both the run state and the
 * definitions (a workflow's `stages:` name statuses) use them without importing each other.
 */

/**
 * Phase states (enforced by a CHECK constraint in the store):
 * - `blocked`: waits for what it needs;
 * - `ready`: may start (at `notBefore` when a retry backs off);
 * - `running`: an attempt executes;
 * - `waiting_for_human`: a gate or a human phase waits for a person;
 * - `in_review`: its output waits for its reviewer's verdict (a review loop); only the phases
 *   between it and its reviewer may use it meanwhile;
 * - `completed`, `skipped`: done, dependents may start;
 * - `failed`, `rejected`, `cancelled`: stopped; dependents stay blocked; a person may retry or skip.
 */
export const PhaseStatus = {
  blocked: 'blocked',
  ready: 'ready',
  running: 'running',
  waitingForHuman: 'waiting_for_human',
  inReview: 'in_review',
  completed: 'completed',
  failed: 'failed',
  rejected: 'rejected',
  skipped: 'skipped',
  cancelled: 'cancelled',
} as const;
export type PhaseStatus = (typeof PhaseStatus)[keyof typeof PhaseStatus];

/**
 * Run states:
 * - `running`: something is ready or running;
 * - `waiting`: nothing can move until a person decides (a gate or human phase);
 * - `paused`: a person paused it; running attempts finish, nothing new starts;
 * - `completed`: every phase completed or was skipped;
 * - `failed`: nothing can progress and some phase failed, was rejected or cancelled by fail-fast;
 * - `cancelled`: a person cancelled it (final).
 */
export const RunStatus = {
  running: 'running',
  waiting: 'waiting',
  paused: 'paused',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
