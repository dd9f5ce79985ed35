/**
 * The advisory reviewer's advice at a gate: APPROVE or REVISE (icon, word and colour), who gave
 * it, its summary and its findings — or, while the reviewer still works, that it does.
 */
import type { RunSnapshot } from '@baton/client';
import { FindingsList } from './findings-view.js';
import { verdictOf } from './findings.js';

interface RecommendationBannerProps {
  readonly view: RunSnapshot;
  readonly phaseId: string;
  /** The phases that review this one (from the workflow). */
  readonly reviewers: readonly string[];
}

export function RecommendationBanner({ view, phaseId, reviewers }: RecommendationBannerProps) {
  const phase = view.phases.find((candidate) => candidate.id === phaseId);
  const recommendation = phase?.waiting?.recommendation;
  if (recommendation === undefined) {
    const working = reviewers.find((id) => {
      const status = view.phases.find((candidate) => candidate.id === id)?.status;
      return status === 'ready' || status === 'running' || status === 'blocked';
    });
    return working === undefined ? null : (
      <p className="recommendation pending" role="status">
        <span aria-hidden="true">◌ </span>
        {working} is reviewing this output…
      </p>
    );
  }
  const reviewer = view.phases.find((candidate) => candidate.id === recommendation.by);
  const verdict = verdictOf(reviewer?.output) ?? verdictOf({ verdict: recommendation.verdict });
  const positive = verdict?.positive ?? recommendation.verdict.toLowerCase() === 'approve';
  const word = verdict?.verdict ?? recommendation.verdict.toUpperCase();
  return (
    <section
      className={`recommendation ${positive ? 'approve' : 'revise'}`}
      aria-label={`Recommendation: ${word}`}
    >
      <p className="recommendation-verdict">
        <span aria-hidden="true">{positive ? '✓' : '↺'} </span>
        <strong>{word}</strong> <span className="recommendation-by">recommended by {recommendation.by}</span>
      </p>
      {verdict?.summary === undefined ? null : <p>{verdict.summary}</p>}
      <FindingsList output={{ findings: recommendation.findings }} />
    </section>
  );
}
