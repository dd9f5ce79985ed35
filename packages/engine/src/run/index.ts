export { applyEvent, foldEvents, deriveRunStatus } from './apply-event.js';
export { step, type StepResult } from './step.js';
export { claimStarted } from './impossible-transitions.js';
export type { StepOptions } from './step-context.js';
export {
  isPhaseTransition,
  PHASE_STATUSES,
  PHASE_TRANSITIONS,
  type PhaseTransitionTable,
} from './phase-transitions.js';
export { retryDelayMs } from './backoff.js';
export { checkOutput } from './output-check.js';
export { isSettled } from './step-context.js';
export { planFork, type ForkPlanEntry } from './fork.js';
export { mapProgress } from './map.js';
export { effectiveBudgets } from './budgets.js';
export { endsAttempt } from './results.js';
export { checkTitle, MAX_TITLE_LENGTH } from './title.js';
export { runStage, type StagedRun } from './stage.js';
export { planRunRetry, type RetryPlan } from './retry-plan.js';
export { joinNotices } from './join-notices.js';
export { VERDICT_SCHEMA as REVIEWER_OUTPUT_SCHEMA } from './review.js';
