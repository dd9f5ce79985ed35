/**
 * Starting and finishing a phase: a new attempt becomes ready and starts (a task is queued, or a
 * human phase waits for its person at once); an attempt's output is recorded and accepted — a map
 * reads its items, a reviewer's verdict applies, a reviewed phase goes in review, a gate opens, or
 * the phase completes; a phase is skipped.
 */
import { formatProblems } from '../errors.js';
import type { ArtifactRef, OutputPayload } from '../types.js';
import { expandMap } from './map.js';
import { checkOutput } from './output-check.js';
import { applyOutputTitle } from './output-title.js';
import { applyVerdict, finishReview } from './review.js';
import type { MakeReadyOptions, StepContext } from './step-context.js';

/** Makes a new attempt ready and starts it unless the run is paused. */
export function makeReady(ctx: StepContext, phaseId: string, options: MakeReadyOptions = {}): void {
  const attempt = ctx.phase(phaseId).attempt + 1;
  ctx.emit({
    type: 'phase_ready',
    phaseId,
    attempt,
    ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
    ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
    ...(options.review === undefined ? {} : { review: options.review }),
  });
  if (!ctx.state.paused) ctx.start(phaseId);
}

/** Starts a ready phase: queue a task, or (human phases) wait for a person at once. */
export function start(ctx: StepContext, phaseId: string): void {
  const phase = ctx.phase(phaseId);
  const def = ctx.definition(phaseId);
  if (def.kind === 'human') {
    ctx.emit({ type: 'phase_started', phaseId, attempt: phase.attempt });
    ctx.emit({
      type: 'waiting_for_human',
      phaseId,
      attempt: phase.attempt,
      reason: def.prompt ?? `submit the output of "${phaseId}"`,
      source: 'human',
    });
    return;
  }
  ctx.command({
    type: 'enqueue',
    phaseId,
    attempt: phase.attempt,
    kind: def.kind,
    runAt: phase.notBefore ?? ctx.now,
  });
}

/**
 * Records an output as the phase's next artifact version and queues its content for storage.
 * Returns the artifact reference.
 */
export function recordOutput(
  ctx: StepContext,
  phaseId: string,
  attempt: number,
  payload: OutputPayload,
  source: 'attempt' | 'edit' | 'submission',
): ArtifactRef {
  const phase = ctx.phase(phaseId);
  const artifact: ArtifactRef = {
    attempt,
    version: (phase.versions.at(-1)?.version ?? 0) + 1,
    mediaType: payload.mediaType,
    size: payload.size,
    sha256: payload.sha256,
  };
  ctx.emit({ type: 'phase_output', phaseId, attempt, artifact, source });
  ctx.command({ type: 'store_artifact', phaseId, attempt, artifact, payload });
  return artifact;
}

/**
 * Accepts a produced output: checks it against the phase's schema, names the run after it (the
 * workflow's `title.from`), then opens the gate or completes the phase. A schema mismatch fails
 * the attempt (retryable).
 */
export function acceptOutput(
  ctx: StepContext,
  phaseId: string,
  attempt: number,
  payload: OutputPayload,
  source: 'attempt' | 'submission',
): void {
  const def = ctx.definition(phaseId);
  // A map's first attempt reads its items; only an empty list is the map's output at once.
  if (
    def.map !== undefined &&
    ctx.phase(phaseId).expansion === undefined &&
    expandMap(ctx, phaseId, attempt, payload) === 'done'
  )
    return;
  const artifact = ctx.recordOutput(phaseId, attempt, payload, source);
  const problems = checkOutput(def.output, payload);
  if (problems.length > 0) {
    ctx.failAttempt(phaseId, attempt, { code: 'OUTPUT_SCHEMA', message: formatProblems(problems) }, true);
    return;
  }
  applyOutputTitle(ctx, phaseId, attempt, payload);
  if (def.reviews !== undefined) {
    applyVerdict(ctx, phaseId, attempt, artifact, payload);
    return;
  }
  if (ctx.state.reviewerOf[phaseId] !== undefined) {
    // The review loop runs first; the gate, if any, opens once the reviewer is done.
    ctx.emit({ type: 'phase_in_review', phaseId, attempt, version: artifact.version });
    ctx.unblockDependentsOf(phaseId);
    return;
  }
  if (def.gate) {
    ctx.emit({
      type: 'waiting_for_human',
      phaseId,
      attempt,
      reason: `approve the output of "${phaseId}"`,
      source: 'gate',
      version: artifact.version,
    });
    return;
  }
  ctx.complete(phaseId, attempt, artifact.version);
}

/** Completes a phase with an accepted output version (or none); a completed reviewer ends its review. */
export function complete(
  ctx: StepContext,
  phaseId: string,
  attempt: number,
  version: number | undefined,
): void {
  ctx.emit({ type: 'phase_completed', phaseId, attempt, ...(version === undefined ? {} : { version }) });
  ctx.unblockDependentsOf(phaseId);
  finishReview(ctx, phaseId);
}

/** Skips a phase: dependents run without its input; a skipped reviewer ends its review. */
export function skip(ctx: StepContext, phaseId: string, reason: string): void {
  ctx.emit({ type: 'phase_skipped', phaseId, reason });
  ctx.unblockDependentsOf(phaseId);
  finishReview(ctx, phaseId);
}
