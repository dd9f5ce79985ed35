/**
 * Defaults and limits of workflow definitions.
 */
import type { OnFailure, PhaseKind, RetryPolicy, ReviewPolicy } from '../types.js';

/** Workflow ids: lowercase letters, digits and `-`, starting with a letter or digit. */
export const WORKFLOW_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
/** Phase ids: lowercase letters, digits, `_` and `-`, starting with a letter or digit. */
export const PHASE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
/**
 * A fixtures key naming a map's instance: `map[3]`, `map[3].phase`, or `[*]` for every element.
 */
export const INSTANCE_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*\[(0|[1-9]\d*|\*)\](\.[a-z0-9][a-z0-9_-]*)?$/;
/** Names of builtin steps (`run:` of a `builtin` phase): lowercase letters, digits and `-`. */
export const BUILTIN_STEP_PATTERN = /^[a-z][a-z0-9-]*$/;
/** Longest workflow or phase id. */
export const MAX_ID_LENGTH = 64;
/** Most phases one workflow may have. */
export const MAX_PHASES = 10_000;
/** Bounds of `retry.maxAttempts` (which counts the first attempt). */
export const MAX_ATTEMPTS_LIMIT = 100;
/** Bounds of `retry.maxRecoveries` (attempts lost to crashes before a phase fails as stuck). */
export const MAX_RECOVERIES_LIMIT = 100;
/**
 * Longest timeout or backoff: 24 days, just under what a JavaScript timer can wait (2^31 - 1 ms);
 * a longer one would fire at once.
 */
export const MAX_DURATION_MS = 24 * 86_400_000;
/** Agents known when the caller names none. */
export const DEFAULT_AGENTS: readonly string[] = Object.freeze(['scripted']);
/** The offline agent that answers from a fixtures file. */
export const SCRIPTED_AGENT = 'scripted';

/** Retry policy of a phase that sets none (or only part of one). */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  backoffMs: 2_000,
  maxBackoffMs: 300_000,
  maxRecoveries: 3,
});
/** Timeout of one attempt per kind when a phase sets none; `null` means no limit. */
export const DEFAULT_TIMEOUT_MS: Readonly<Record<PhaseKind, number | null>> = Object.freeze({
  tool: 30 * 60_000,
  agent: 10 * 60_000,
  human: null,
  // An in-process step is quick; a minute is ample and stops a step that hangs.
  builtin: 60_000,
  map: null,
});
/** A reviewer's loop when it sets nothing but `reviews`. */
export const DEFAULT_REVIEW: ReviewPolicy = Object.freeze({
  rounds: 3,
  reReview: true,
  onRoundsExhausted: 'human',
  advisory: false,
});
/** Elements of a map in progress at a time when it sets no `concurrency`. */
export const DEFAULT_MAP_CONCURRENCY = 4;
/** Largest `concurrency` of a map. */
export const MAX_MAP_CONCURRENCY = 1_000;
/** Most phases in one map template. */
export const MAX_TEMPLATE_PHASES = 50;
/** Most phase instances one map may add to a run (elements × template phases). */
export const MAX_MAP_INSTANCES = 10_000;
/** Largest `maxTokens` of a model setting. */
export const MAX_MODEL_TOKENS = 1_000_000;
/** Most revise rounds a reviewer may allow. */
export const MAX_REVIEW_ROUNDS = 20;
/** What a phase that failed for good does to the run when it says nothing. */
export const DEFAULT_ON_FAILURE: OnFailure = 'continue';
