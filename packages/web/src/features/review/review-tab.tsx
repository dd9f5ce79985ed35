/**
 * The reviews of a phase: its own, when it is a reviewer (a verdict, findings, a checklist), and
 * those of the phases that review it. Each shows its verdict, findings grouped by level and its
 * checklist.
 */
import type { LiveRun } from '../../store/live-run.js';
import { Checklist, FindingsList } from './findings-view.js';
import { checklistOf, findingsOf, verdictOf } from './findings.js';

export interface ReviewOutput {
  /** The reviewing phase. */
  readonly by: string;
  readonly output: unknown;
}

function isReview(output: unknown): boolean {
  return verdictOf(output) !== undefined || findingsOf(output).length > 0 || checklistOf(output).length > 0;
}

/** The phase's own review and its reviewers', those that have an output that reads as one. */
export function reviewOutputs(live: LiveRun, phaseId: string): ReviewOutput[] {
  const outputOf = (id: string) => live.view.phases.find((phase) => phase.id === id)?.output;
  const reviewers = live.state.order.filter((id) => live.state.definitions[id]?.reviews === phaseId);
  return [phaseId, ...reviewers]
    .map((by) => ({ by, output: outputOf(by) }))
    .filter((review) => review.output !== null && review.output !== undefined && isReview(review.output));
}

export function ReviewTab({ live, phaseId }: { readonly live: LiveRun; readonly phaseId: string }) {
  return (
    <div className="review-tab">
      {reviewOutputs(live, phaseId).map((review) => {
        const verdict = verdictOf(review.output);
        return (
          <section key={review.by} className="review" aria-label={`Review by ${review.by}`}>
            <h4>
              {review.by === phaseId ? 'Verdict' : `${review.by}`}
              {verdict === undefined ? null : (
                <span className={`verdict ${verdict.positive ? 'positive' : 'negative'}`}>
                  {' '}
                  <span aria-hidden="true">{verdict.positive ? '✓' : '✕'}</span> {verdict.verdict}
                </span>
              )}
            </h4>
            {verdict?.summary === undefined ? null : <p>{verdict.summary}</p>}
            <FindingsList output={review.output} />
            <Checklist output={review.output} />
          </section>
        );
      })}
    </div>
  );
}
