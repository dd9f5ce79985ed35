/**
 * Failure and retry: a failed attempt is followed by another while the phase's retry policy
 * allows (with a deterministic backoff), otherwise the phase fails for good and its `onFailure`
 * applies — stay failed, skip, or fail fast (cancel everything unfinished and fail the run).
 */
import type { PhaseError } from '../types.js';
import { retryDelayMs } from './backoff.js';
import { isSettled, type StepContext } from './step-context.js';

/**
 * Fails the running attempt: schedules the next attempt while the retry policy allows, otherwise
 * fails the phase for good and applies its `onFailure`.
 */
export function failAttempt(
  ctx: StepContext,
  phaseId: string,
  attempt: number,
  error: PhaseError,
  retryable: boolean,
): void {
  const def = ctx.definition(phaseId);
  const phase = ctx.phase(phaseId);
  const inSeries = attempt - phase.seriesStart + 1;
  if (retryable && inSeries < def.retry.maxAttempts) {
    const retryAt = ctx.now + retryDelayMs(def.retry, inSeries, `${ctx.state.runId}/${phaseId}/${attempt}`);
    ctx.emit({ type: 'phase_failed', phaseId, attempt, error, retryAt });
    ctx.makeReady(phaseId, { notBefore: retryAt });
    return;
  }
  ctx.emit({ type: 'phase_failed', phaseId, attempt, error });
  ctx.applyOnFailure(phaseId, error);
}

/**
 * What a phase's final failure does to the run (`onFailure`): `continue` nothing (the phase stays
 * failed), `skip` skips it, `fail-fast` cancels every unfinished phase and fails the run.
 */
export function applyOnFailure(ctx: StepContext, phaseId: string, error: PhaseError): void {
  const def = ctx.definition(phaseId);
  if (def.onFailure === 'skip') {
    ctx.skip(phaseId, `failed (${error.code}); onFailure: skip`);
    return;
  }
  if (def.onFailure === 'fail-fast') {
    const reason = `"${phaseId}" failed and has onFailure: fail-fast`;
    ctx.cancelUnfinished(reason, 'fail-fast');
    ctx.emit({ type: 'run_failed', reason: `phase ${reason}: ${error.message}` });
  }
}

/** Cancels every phase that has not settled: aborts running attempts, drops queued tasks. */
export function cancelUnfinished(ctx: StepContext, reason: string, cause: 'fail-fast' | 'run'): void {
  for (const id of ctx.state.order) {
    const phase = ctx.phase(id);
    if (isSettled(phase.status)) continue;
    if (phase.status === 'running' && ctx.definition(id).kind !== 'human') {
      ctx.command({ type: 'abort', phaseId: id, attempt: phase.attempt, reason });
    }
    if (phase.status === 'ready') ctx.command({ type: 'dequeue', phaseId: id });
    ctx.emit({ type: 'phase_cancelled', phaseId: id, reason, cause });
  }
}
