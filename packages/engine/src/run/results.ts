/**
 * Inputs from workers: a claim, and the result of an attempt. A result only counts for the
 * phase's current running attempt; anything else (an old attempt's late completion, a duplicate
 * delivery) is ignored, which makes delivery idempotent per `(run, phase, attempt)`.
 */
import { PhaseFailureCode } from '../phase-codes.js';
import type { RunInput } from '../types.js';
import type { StepContext } from './step-context.js';
import type { HandlerOutcome } from './outcome.js';

type ResultInput = Extract<RunInput, { type: 'claim' | 'succeed' | 'fail' | 'abandon' }>;

/**
 * Applies a worker's `claim` (the ready attempt starts: `phase_started`, and a `deadline` command
 * when the phase has a timeout) or an attempt's result: `succeed` (the output is accepted),
 * `fail` (retried while the policy allows, else failed for good), `abandon` (lost or interrupted:
 * a new attempt, or `STUCK` past `maxRecoveries`). Never refused: an input for anything but the
 * phase's current ready (claim) or running (result) attempt — or a claim on a paused or ended run,
 * or one not due yet — is ignored, which makes delivery idempotent.
 */
export function applyResult(ctx: StepContext, input: ResultInput): HandlerOutcome {
  const phase = ctx.phase(input.phaseId);
  if (input.type === 'claim') {
    if (ctx.state.ended !== undefined) return { ignored: `run ${ctx.state.runId} has ended` };
    if (ctx.state.paused) return { ignored: `run ${ctx.state.runId} is paused` };
    if (phase.status !== 'ready' || phase.attempt !== input.attempt) {
      return { ignored: stale(input.phaseId, input.attempt, 'ready', phase.status, phase.attempt) };
    }
    if (phase.notBefore !== undefined && phase.notBefore > ctx.now) {
      return { ignored: `attempt ${input.attempt} of "${input.phaseId}" is not due yet` };
    }
    ctx.emit({ type: 'phase_started', phaseId: input.phaseId, attempt: input.attempt });
    const timeoutMs = ctx.definition(input.phaseId).timeoutMs;
    if (timeoutMs !== null) {
      ctx.command({
        type: 'deadline',
        phaseId: input.phaseId,
        attempt: input.attempt,
        at: ctx.now + timeoutMs,
      });
    }
    return undefined;
  }

  if (
    phase.status !== 'running' ||
    phase.attempt !== input.attempt ||
    ctx.definition(input.phaseId).kind === 'human'
  ) {
    return { ignored: stale(input.phaseId, input.attempt, 'running', phase.status, phase.attempt) };
  }
  switch (input.type) {
    case 'succeed':
      ctx.acceptOutput(input.phaseId, input.attempt, input.output, 'attempt');
      return undefined;
    case 'fail':
      ctx.failAttempt(input.phaseId, input.attempt, input.error, input.retryable);
      return undefined;
    case 'abandon':
      abandon(ctx, input);
      return undefined;
  }
}

function abandon(ctx: StepContext, input: Extract<RunInput, { type: 'abandon' }>): void {
  const { phaseId, attempt, cause } = input;
  const phase = ctx.phase(phaseId);
  if (cause === 'lost' && phase.recoveries >= ctx.definition(phaseId).retry.maxRecoveries) {
    const error = {
      code: PhaseFailureCode.stuck,
      message: `attempt ${attempt} was lost, after ${phase.recoveries} earlier attempts were lost to crashes; giving up`,
    };
    ctx.emit({ type: 'phase_failed', phaseId, attempt, error, abandoned: 'lost' });
    ctx.applyOnFailure(phaseId, error);
    return;
  }
  const error =
    cause === 'lost'
      ? {
          code: PhaseFailureCode.lost,
          message: `the process running attempt ${attempt} stopped before it finished`,
        }
      : { code: PhaseFailureCode.interrupted, message: `attempt ${attempt} was interrupted` };
  ctx.emit({ type: 'phase_failed', phaseId, attempt, error, retryAt: ctx.now, abandoned: cause });
  ctx.makeReady(phaseId);
}

function stale(phaseId: string, attempt: number, expected: string, status: string, current: number): string {
  return `attempt ${attempt} of "${phaseId}" is not ${expected} (the phase is ${status} at attempt ${current})`;
}

/** The inputs that end an attempt: its task is finished when they are applied, even when ignored. */
export function endsAttempt(
  input: RunInput,
): input is Extract<RunInput, { type: 'succeed' | 'fail' | 'abandon' | 'suspend' }> {
  return (
    input.type === 'succeed' || input.type === 'fail' || input.type === 'abandon' || input.type === 'suspend'
  );
}
