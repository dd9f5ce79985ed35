/**
 * Review loops: a reviewer `V` (`reviews: R`) judges `R`'s output. `R` waits
 * `in_review` while the phases between the two and `V` run; `V`'s verdict then completes `R` (or
 * opens its gate, with the verdict as a recommendation), or sends `R` back for another round with
 * the findings, or — when the rounds are used up — does what `onRoundsExhausted` says. Advisory
 * reviewers only recommend. The rules are in `docs/engine.md`.
 */
import { formatProblems } from '../errors.js';
import { PhaseFailureCode } from '../phase-codes.js';
import type { ArtifactRef, JsonSchema, OutputPayload, ReviewVerdict } from '../types.js';
import { checkOutput } from './output-check.js';
import type { StepContext } from './step-context.js';

/** What a reviewer's output must be (docs/engine.md, "Review loops"). */
export const VERDICT_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  required: ['verdict', 'findings'],
  properties: {
    verdict: { enum: ['approve', 'revise', 'fail'] },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['severity', 'message'],
        properties: {
          severity: { enum: ['blocking', 'suggestion', 'nit'] },
          message: { type: 'string' },
        },
      },
    },
  },
});

interface Finding {
  readonly severity: string;
  readonly message: string;
}

/** The verdict and findings of a reviewer's output, or the problems that make it unreadable. */
function readVerdict(
  payload: OutputPayload,
): { ok: true; verdict: ReviewVerdict; findings: Finding[] } | { ok: false; message: string } {
  const problems = checkOutput(VERDICT_SCHEMA, payload);
  if (problems.length > 0) {
    return {
      ok: false,
      message: `a reviewer's output must be {verdict: approve|revise|fail, findings: [{severity, message}]}:\n${formatProblems(problems)}`,
    };
  }
  const value = JSON.parse(payload.text) as { verdict: ReviewVerdict; findings: Finding[] };
  return { ok: true, verdict: value.verdict, findings: value.findings };
}

/** The findings as the reviewed phase's next attempt reads them (`feedback.md`). */
function renderFindings(reviewer: string, round: number, findings: readonly Finding[]): string {
  const lines = [`Review by "${reviewer}" (round ${round}): revise.`];
  for (const finding of findings) lines.push(`- [${finding.severity}] ${finding.message}`);
  if (findings.length === 0) lines.push('(no findings given)');
  return lines.join('\n');
}

/**
 * A reviewer's attempt produced `artifact` (already recorded): apply its verdict. Called instead
 * of the usual gate-or-complete. `approve` (or any verdict of an advisory reviewer, or one on a
 * phase no longer in review) completes the reviewer, which completes the reviewed phase or opens
 * its gate; `fail` fails the reviewer (`REVIEW_FAILED`, its `onFailure` applies); `revise` sends
 * the reviewed phase back with the findings while rounds remain, then does what
 * `onRoundsExhausted` says. An output that is no verdict fails the attempt (`OUTPUT_SCHEMA`,
 * retryable). Never throws for a well-formed run.
 */
export function applyVerdict(
  ctx: StepContext,
  reviewerId: string,
  attempt: number,
  artifact: ArtifactRef,
  payload: OutputPayload,
): void {
  const def = ctx.definition(reviewerId);
  const reviewedId = def.reviews!;
  const policy = def.review!;
  const read = readVerdict(payload);
  if (!read.ok) {
    ctx.failAttempt(
      reviewerId,
      attempt,
      { code: PhaseFailureCode.outputSchema, message: read.message },
      true,
    );
    return;
  }
  const reviewed = ctx.phase(reviewedId);
  // Not in review: the reviewed phase moved on meanwhile (a person rewound this reviewer after the
  // loop ended). The verdict is recorded; there is nothing left to send back.
  const judging = reviewed.status === 'in_review';
  const revise = judging && read.verdict === 'revise' && !policy.advisory;
  const round = (reviewed.reviewRound ?? 0) + (revise ? 1 : 0);
  ctx.emit({
    type: 'review_verdict',
    phaseId: reviewerId,
    attempt,
    reviews: reviewedId,
    verdict: read.verdict,
    round,
    version: artifact.version,
  });
  const failReviewer = (code: PhaseFailureCode, message: string): void => {
    const error = { code, message };
    ctx.emit({ type: 'phase_failed', phaseId: reviewerId, attempt, error });
    ctx.applyOnFailure(reviewerId, error);
  };
  if (!judging || policy.advisory || read.verdict === 'approve') {
    ctx.complete(reviewerId, attempt, artifact.version);
    return;
  }
  if (read.verdict === 'fail') {
    failReviewer(PhaseFailureCode.reviewFailed, `"${reviewerId}" failed the output of "${reviewedId}"`);
    return;
  }
  if (round <= policy.rounds) {
    sendBack(ctx, reviewerId, renderFindings(reviewerId, round, read.findings), {
      by: reviewerId,
      version: artifact.version,
    });
    return;
  }
  switch (policy.onRoundsExhausted) {
    case 'continue':
      ctx.complete(reviewerId, attempt, artifact.version);
      return;
    case 'fail':
      failReviewer(
        PhaseFailureCode.reviewRoundsExhausted,
        `"${reviewerId}" still asks for changes to "${reviewedId}" after ${policy.rounds} round(s)`,
      );
      return;
    case 'human':
      ctx.emit({
        type: 'waiting_for_human',
        phaseId: reviewerId,
        attempt,
        reason: `"${reviewerId}" still asks for changes to "${reviewedId}" after ${policy.rounds} round(s): approve to go on, request changes for another round, or reject`,
        source: 'review',
        version: artifact.version,
      });
      return;
  }
}

/**
 * Sends the reviewed phase back for another attempt: the phases between it and its reviewer, and
 * the reviewer, are reset; the reviewed phase gets the feedback (the findings, or a person's).
 * `review` marks a reviewer's round (the round count is kept); without it a new count starts.
 */
export function sendBack(
  ctx: StepContext,
  reviewerId: string,
  feedback: string,
  review?: { readonly by: string; readonly version: number },
): void {
  const reviewedId = ctx.definition(reviewerId).reviews!;
  const reason = `"${reviewerId}" sent "${reviewedId}" back for changes`;
  for (const id of ctx.state.reviewScope[reviewerId] ?? []) {
    if (ctx.hasRun(id)) ctx.reset(id, reason, review === undefined ? undefined : 'review');
  }
  ctx.reset(reviewedId, reason, review === undefined ? undefined : 'review');
  ctx.makeReady(reviewedId, { feedback, ...(review === undefined ? {} : { review }) });
}

/**
 * The reviewer settled (completed or skipped): the reviewed phase completes — or, with a gate,
 * waits at it with the verdict as a recommendation.
 */
export function finishReview(ctx: StepContext, reviewerId: string): void {
  const reviewedId = ctx.definition(reviewerId).reviews;
  if (reviewedId === undefined) return;
  const reviewed = ctx.phase(reviewedId);
  if (reviewed.status !== 'in_review') return;
  const version = reviewed.output?.version;
  if (ctx.definition(reviewedId).gate) {
    // A skipped reviewer recommends nothing; a completed one, its verdict and findings.
    const reviewer = ctx.phase(reviewerId);
    const verdict = reviewer.status === 'completed' ? reviewer.verdict : undefined;
    const verdictVersion = reviewer.output?.version;
    ctx.emit({
      type: 'waiting_for_human',
      phaseId: reviewedId,
      attempt: reviewed.attempt,
      reason: `approve the output of "${reviewedId}" (reviewed by "${reviewerId}")`,
      source: 'gate',
      ...(version === undefined ? {} : { version }),
      ...(verdict === undefined || verdictVersion === undefined
        ? {}
        : { recommendation: { by: reviewerId, verdict, version: verdictVersion } }),
    });
    return;
  }
  ctx.complete(reviewedId, reviewed.attempt, version);
}
