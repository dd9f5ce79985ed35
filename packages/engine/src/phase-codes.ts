/**
 * The stable codes of a failed attempt (`PhaseError.code`) and of a warning an attempt records
 * (`AttemptContext.warn`). They are user-visible — in `baton show`, `--json` snapshots and the
 * event log — so a code is never renamed; a new one is added here, documented on its line and in
 * `docs/engine.md` ("Phase failure codes", "Warning codes").
 *
 * "Retryable" says whether the phase's `retry` policy may run another attempt after it; the
 * scheduler decides from the `retryable` flag the raiser sets, this list only documents it.
 * Events of older runs may hold codes not listed here: reading them back is not checked.
 */

/** Why an attempt failed. A const object plus a union of its values (no TS `enum`). */
export const PhaseFailureCode = {
  // ── raised by the scheduler (engine) ──
  /** The output does not fit the phase's `output` schema, or a reviewer's verdict cannot be read; also an agent whose answers never fitted (agents). Retryable. */
  outputSchema: 'OUTPUT_SCHEMA',
  /** A map's `over` output is not a JSON array (engine when it expands, runtime when it builds the attempt). Not retryable. */
  mapNotArray: 'MAP_NOT_ARRAY',
  /** A map would add more phases than the engine allows. Not retryable. */
  mapTooLarge: 'MAP_TOO_LARGE',
  /** A map's elements depend on each other in a cycle (or one on itself). Not retryable. */
  mapCycle: 'MAP_CYCLE',
  /** A map's element has a bad `id` or `dependsOn` (duplicate, unknown, not text). Not retryable. */
  mapItems: 'MAP_ITEMS',
  /** An attempt was lost to a crash after `retry.maxRecoveries` earlier ones: the phase gives up. Not retryable. */
  stuck: 'STUCK',
  /** The process running the attempt stopped before it finished (lease expired, `baton resume`); a new attempt runs. Retried. */
  lost: 'LOST',
  /** The attempt was interrupted (Ctrl-C, a worker shutting down); a new attempt runs on resume. Retried. */
  interrupted: 'INTERRUPTED',
  /** A reviewer's verdict is `fail`: the reviewer phase fails and its `onFailure` applies. Not retryable. */
  reviewFailed: 'REVIEW_FAILED',
  /** A reviewer still asks for changes after `review.rounds` rounds and `onRoundsExhausted: fail`. Not retryable. */
  reviewRoundsExhausted: 'REVIEW_ROUNDS_EXHAUSTED',

  // ── raised by the runtime (run loop and built-in handlers) ──
  /** The attempt ran past the phase's `timeout` and was aborted (run loop, tool handler). Retryable. */
  timeout: 'TIMEOUT',
  /** No handler is registered for the phase's kind or agent (run loop). Not retryable. */
  noHandler: 'NO_HANDLER',
  /** The handler threw instead of returning a result — a bug, or a store failure mid-attempt (run loop). Retryable. */
  handlerCrashed: 'HANDLER_CRASHED',
  /**
   * Something that cannot happen did — a bug: a task without its phase or map stage (runtime), or a
   * phase move the transition table does not allow (engine). Not retryable; a person may retry.
   */
  internal: 'INTERNAL',
  /** The inputs gathered for the phase do not fit its `input` schema (runtime, before the handler). Not retryable. */
  inputSchema: 'INPUT_SCHEMA',
  /** The attempt was stopped by its abort signal: run cancelled, fail-fast, shutdown (any handler). Not retryable. */
  aborted: 'ABORTED',
  /** A tool phase has no `run` command (tool handler). Not retryable. */
  noCommand: 'NO_COMMAND',
  /**
   * `sh` could not be started (tool handler). Retryable when the machine is short of processes,
   * memory or files; not when a retry cannot succeed (E2BIG: the command is too large; no `sh`).
   */
  spawnFailed: 'SPAWN_FAILED',
  /** The command was killed by a signal (tool handler). Retryable. */
  signal: 'SIGNAL',
  /** The command exited with a non-zero code; the message carries the tail of stderr (tool handler). Retryable. */
  exitCode: 'EXIT_CODE',
  /** `$BATON_OUTPUT` is not a regular file (tool handler). Not retryable. */
  outputInvalid: 'OUTPUT_INVALID',
  /** The output (stdout or `$BATON_OUTPUT`) is over the size limit (tool handler). Not retryable. */
  outputTooLarge: 'OUTPUT_TOO_LARGE',
  /** The `scripted` agent's answer says `fail` (scripted handler; the scripted model fails with `PROVIDER_ERROR` instead). Retryable. */
  scriptedFailure: 'SCRIPTED_FAILURE',
  /** The phase names an agent the workflow (or the handler) does not define (scripted and agent handlers). Not retryable. */
  unknownAgent: 'UNKNOWN_AGENT',
  /** A `builtin` phase names a step this process does not have (none configured, or another version's) (builtin handler). Not retryable. */
  unknownStep: 'UNKNOWN_STEP',
  /** A builtin step threw instead of returning its result (builtin handler). Retryable. */
  builtinFailed: 'BUILTIN_FAILED',
  /** The `verdict` step of a built-in workflow: a review did not pass; the message names each and why (builtin step). Not retryable. */
  verdictFailed: 'VERDICT_FAILED',
  /** The `merge-ui-variants` step: no variant was approved (all rejected or skipped), so there is nothing to merge (builtin step). Not retryable. */
  noApprovedVariant: 'NO_APPROVED_VARIANT',
  /** The `merge-ui-variants` step: two approved variants' patches change the same nodes; the message names the ops (builtin step). Not retryable. */
  uiMergeConflict: 'UI_MERGE_CONFLICT',

  // ── raised by the agents package (the agent handler) ──
  /** A model call failed: the message names provider, model and status (agents). Retryable unless the provider refused the request (4xx other than 408, 409, 429). */
  providerError: 'PROVIDER_ERROR',
  /** No model is set, or its provider has no key or server: the message says what to set (agents). Not retryable; `baton run` exits 2. */
  providerNotConfigured: 'PROVIDER_NOT_CONFIGURED',
  /** A scripted answer (the `scripted` agent or model) has no fixture: the message says which entry to add (runtime, agents). Not retryable; `baton run` exits 2. */
  fixtureMissing: 'FIXTURE_MISSING',
  /** Replay found no recording of a model request in the cassette (agents). Not retryable; `baton run` exits 2. */
  cassetteMiss: 'CASSETTE_MISS',
  /** A cassette file is not a Baton cassette (agents). Not retryable; `baton run` exits 2. */
  invalidCassette: 'INVALID_CASSETTE',
} as const;
export type PhaseFailureCode = (typeof PhaseFailureCode)[keyof typeof PhaseFailureCode];

/** What an attempt warns about (`phase_warning`); a warning never changes the run. */
export const WarningCode = {
  /** The run's or the phase's budget is 80% used (agents, before a model call). */
  budgetWarning: 'BUDGET_WARNING',
  /** A reviewer runs on the same model as the phase it reviews, so its review is not independent (agents). */
  reviewerSameModel: 'REVIEWER_SAME_MODEL',
  /** An agent's recommended model was passed over because its provider has no key or server; the message says which model ran instead and why (agents). */
  recommendedModelUnavailable: 'RECOMMENDED_MODEL_UNAVAILABLE',
  /** The workflow's `title:` names this phase, but its output holds no usable title; the run keeps its title (engine). */
  titleUnusable: 'TITLE_UNUSABLE',
} as const;
export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode];
