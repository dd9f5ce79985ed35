/**
 * A person's decisions on one phase: approve / reject / request changes / edit / submit a phase
 * waiting for them, and retry / skip a phase that stopped. Each is recorded as a `human_decision`
 * (who, when, why) before its consequences.
 */
import { formatProblems } from '../errors.js';
import type { Decision, RunInput } from '../types.js';
import { checkOutput } from './output-check.js';
import { applyOutputTitle } from './output-title.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import { sendBack } from './review.js';
import type { StepContext } from './step-context.js';

type DecisionInput = Extract<RunInput, { type: 'decide' | 'retry' | 'skip' }>;

/**
 * Applies a person's `decide` (approve, reject, request changes, edit, submit) on a phase waiting
 * for them (a reject of a phase with `onReject: skip` then skips it), or `retry` / `skip` of a failed, rejected or cancelled phase (reopening an ended run
 * first). Each is recorded as a `human_decision` before its consequences. Refused
 * (`INVALID_TRANSITION`) when the phase is not in a status that takes the decision, the decision
 * does not fit what it waits for (approve a human phase's submission, anything but reject on a
 * budget wait, request changes on a map), or the run was cancelled; `INVALID_INPUT` when an
 * edited or submitted output does not match the phase's output schema.
 */
export function applyDecision(ctx: StepContext, input: DecisionInput): HandlerOutcome {
  if (input.type === 'decide') return decide(ctx, input);
  return retryOrSkip(ctx, input);
}

function decide(ctx: StepContext, input: Extract<RunInput, { type: 'decide' }>): HandlerOutcome {
  const { phaseId, decision, by } = input;
  const phase = ctx.phase(phaseId);
  const runId = ctx.state.runId;
  if (phase.status !== 'waiting_for_human' || phase.waiting === undefined) {
    return refuse(
      'INVALID_TRANSITION',
      `phase "${phaseId}" of run ${runId} is not waiting for a decision (it is ${phase.status}); see \`baton show ${runId}\``,
    );
  }
  const source = phase.waiting.source;
  const attempt = phase.attempt;
  const needsSubmission = source === 'human';
  if (needsSubmission && (decision.kind === 'approve' || decision.kind === 'request_changes')) {
    return refuse(
      'INVALID_TRANSITION',
      `phase "${phaseId}" asks a person for its output, there is nothing to ${decision.kind === 'approve' ? 'approve' : 'change'}: submit it with \`baton submit ${runId} ${phaseId} --file FILE\``,
    );
  }
  if (source === 'budget' && decision.kind !== 'reject') {
    return refuse(
      'INVALID_TRANSITION',
      `phase "${phaseId}" waits because a model call would cross its budget (${phase.waiting.reason}): raise it with \`baton budget ${runId} --tokens N\` (add the phase id for the phase's own budget), reject the phase, or cancel the run`,
    );
  }
  if (decision.kind === 'request_changes' && ctx.definition(phaseId).map !== undefined) {
    return refuse(
      'INVALID_TRANSITION',
      `the output of map "${phaseId}" is collected from its elements, so there is nothing to redo with feedback: rewind an element (\`baton rewind ${runId} ${phaseId}[N]\`), edit the output, or reject it`,
    );
  }
  if (decision.kind === 'edit' || decision.kind === 'submit') {
    const problems = checkOutput(ctx.definition(phaseId).output, decision.output);
    if (problems.length > 0) {
      return refuse(
        'INVALID_INPUT',
        `the output given for "${phaseId}" does not match its output schema:\n${formatProblems(problems)}`,
      );
    }
  }

  ctx.emit({
    type: 'human_decision',
    phaseId,
    attempt,
    decision: decision.kind,
    by,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(decision.kind === 'request_changes' ? { feedback: decision.feedback } : {}),
  });
  if (source === 'interrupt') answerInterrupt(ctx, phaseId, attempt, decision);
  else applyConsequence(ctx, phaseId, attempt, decision, needsSubmission);
  if (decision.kind === 'reject' && ctx.definition(phaseId).onReject === 'skip') {
    // `onReject: skip`: the reject stays in the log (`human_decision`, and the phase's
    // `lastDecision`), then the phase is skipped in the same step — the very moves a person's reject
    // followed by their skip makes — so dependents run without its output and the run is not held.
    const why = input.reason === undefined ? '' : `: ${input.reason}`;
    ctx.skip(phaseId, `rejected by ${by}${why} (onReject: skip)`);
  }
  return undefined;
}

function applyConsequence(
  ctx: StepContext,
  phaseId: string,
  attempt: number,
  decision: Decision,
  needsSubmission: boolean,
): void {
  switch (decision.kind) {
    case 'approve':
      ctx.complete(phaseId, attempt, ctx.phase(phaseId).waiting?.version);
      return;
    case 'reject':
      // The `human_decision` event itself moves the phase to `rejected` (`decide` then applies
      // `onReject`).
      return;
    case 'request_changes': {
      // In a review loop a person's change request starts a new round count: the reviewed phase
      // runs again with the feedback, then what lies between it and its reviewer, then the reviewer.
      const reviewer =
        ctx.definition(phaseId).reviews !== undefined ? phaseId : ctx.state.reviewerOf[phaseId];
      if (reviewer !== undefined) sendBack(ctx, reviewer, decision.feedback);
      else ctx.makeReady(phaseId, { feedback: decision.feedback });
      return;
    }
    case 'edit':
    case 'submit': {
      if (needsSubmission) {
        // A human phase's output is the person's submission; a gate on it still applies.
        ctx.acceptOutput(phaseId, attempt, decision.output, 'submission');
        return;
      }
      const { version } = ctx.recordOutput(phaseId, attempt, decision.output, 'edit');
      // A person's edit replaces the output, and with it the title the output gives.
      applyOutputTitle(ctx, phaseId, attempt, decision.output);
      ctx.complete(phaseId, attempt, version);
      return;
    }
  }
}

/**
 * A person's answer to an agent that interrupted its attempt: approve runs the phase again,
 * request changes runs it again with the answer as feedback, a submitted (or edited) output is
 * the phase's output, reject rejects it.
 */
function answerInterrupt(ctx: StepContext, phaseId: string, attempt: number, decision: Decision): void {
  switch (decision.kind) {
    case 'approve':
      ctx.makeReady(phaseId);
      return;
    case 'request_changes':
      ctx.makeReady(phaseId, { feedback: decision.feedback });
      return;
    case 'edit':
    case 'submit':
      ctx.acceptOutput(phaseId, attempt, decision.output, 'submission');
      return;
    case 'reject':
      return;
  }
}

function retryOrSkip(ctx: StepContext, input: Extract<RunInput, { type: 'retry' | 'skip' }>): HandlerOutcome {
  const { phaseId, by } = input;
  const phase = ctx.phase(phaseId);
  const state = ctx.state;
  if (phase.status !== 'failed' && phase.status !== 'rejected' && phase.status !== 'cancelled') {
    return refuse(
      'INVALID_TRANSITION',
      `only a failed, rejected or cancelled phase can be ${input.type === 'retry' ? 'retried' : 'skipped'}; "${phaseId}" is ${phase.status}`,
    );
  }
  if (state.ended?.status === 'cancelled') {
    return refuse('INVALID_TRANSITION', `run ${state.runId} was cancelled; start a new run instead`);
  }
  if (phase.status === 'cancelled' && phase.cancelledBy === 'run') {
    return refuse('INVALID_TRANSITION', `phase "${phaseId}" was cancelled with its run`);
  }
  const reason = input.reason ?? `${input.type} of "${phaseId}" by ${by}`;
  if (state.ended !== undefined) ctx.reopen(by, reason, phaseId);
  ctx.emit({
    type: 'human_decision',
    phaseId,
    attempt: phase.attempt,
    decision: input.type,
    by,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  });
  if (input.type === 'skip') {
    ctx.skip(phaseId, `skipped by ${by}${input.reason === undefined ? '' : `: ${input.reason}`}`);
    return undefined;
  }
  if (ctx.needsSatisfied(phaseId)) {
    ctx.makeReady(phaseId);
  } else {
    // A phase cancelled by fail-fast before it could start goes back to waiting for its needs
    // (a map keeps its items and waits for its instances again).
    ctx.reset(phaseId, reason, undefined, true);
    ctx.examine(phaseId);
  }
  return undefined;
}
