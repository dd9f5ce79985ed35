/**
 * Review loops in a definition: a phase with `reviews: R` reviews `R`'s output (see
 * `docs/engine.md`). `checkReview` reads one phase's fields; `checkReviewers` checks them against
 * the whole graph.
 */
import type { Problem } from '../errors.js';
import type { OnRoundsExhausted, PhaseDefinition, ReviewPolicy } from '../types.js';
import { checkWholeNumber, describeValue, fieldPath, isRecord, listWords } from './field-checks.js';
import { reach } from './reach.js';
import { DEFAULT_REVIEW, MAX_REVIEW_ROUNDS } from './rules.js';

/** The phase fields of a reviewer. */
export const REVIEW_FIELDS = [
  'reviews',
  'review',
  'rounds',
  'reReview',
  'onRoundsExhausted',
  'advisory',
] as const;
const ON_ROUNDS_EXHAUSTED: readonly OnRoundsExhausted[] = ['fail', 'continue', 'human'];
const LOOP_OPTIONS = ['rounds', 'reReview', 'onRoundsExhausted'] as const;

/**
 * Reads `reviews` and the loop options of one phase (written flat, or as the normalised `review`
 * mapping). Returns the reviewed id and the policy, or nothing when the phase is no reviewer.
 */
export function checkReview(
  raw: Record<string, unknown>,
  path: string,
  problems: Problem[],
): { reviews: string; review: ReviewPolicy } | undefined {
  const at = (key: string): string => fieldPath(path, key);
  // The normalised form nests the options under `review`; accept it so definitions round-trip.
  const nested = isRecord(raw.review) ? raw.review : undefined;
  if (raw.review !== undefined && nested === undefined) {
    problems.push({ path: at('review'), message: `must be a mapping, got ${describeValue(raw.review)}` });
  }
  const option = (key: string): unknown => raw[key] ?? nested?.[key];
  const given = [...LOOP_OPTIONS, 'advisory'].filter((key) => option(key) !== undefined);
  if (raw.reviews === undefined) {
    for (const key of given) {
      problems.push({ path: at(key), message: `only a reviewer takes ${key} (set reviews: PHASE)` });
    }
    return undefined;
  }
  if (typeof raw.reviews !== 'string' || raw.reviews === '') {
    problems.push({
      path: at('reviews'),
      message: `must be the id of the phase this one reviews, got ${describeValue(raw.reviews)}`,
    });
    return undefined;
  }

  const rounds = checkWholeNumber(
    option('rounds'),
    at('rounds'),
    {
      min: 1,
      max: MAX_REVIEW_ROUNDS,
      why: 'revise verdicts before onRoundsExhausted',
      fallback: DEFAULT_REVIEW.rounds,
    },
    problems,
  );
  const reReview = checkBoolean(option('reReview'), at('reReview'), DEFAULT_REVIEW.reReview, problems);
  const advisory = checkBoolean(option('advisory'), at('advisory'), DEFAULT_REVIEW.advisory, problems);
  let onRoundsExhausted = DEFAULT_REVIEW.onRoundsExhausted;
  const rawExhausted = option('onRoundsExhausted');
  if (rawExhausted !== undefined) {
    if (
      typeof rawExhausted === 'string' &&
      (ON_ROUNDS_EXHAUSTED as readonly string[]).includes(rawExhausted)
    ) {
      onRoundsExhausted = rawExhausted as OnRoundsExhausted;
    } else {
      problems.push({
        path: at('onRoundsExhausted'),
        message: `must be ${listWords(ON_ROUNDS_EXHAUSTED)}, got ${describeValue(rawExhausted)}`,
      });
    }
  }
  if (advisory) {
    for (const key of LOOP_OPTIONS.filter(
      (k) => option(k) !== undefined && option(k) !== DEFAULT_REVIEW[k],
    )) {
      problems.push({
        path: at(key),
        message: `an advisory reviewer only recommends and never sends work back, so ${key} does not apply`,
      });
    }
  }
  return { reviews: raw.reviews, review: { rounds, reReview, onRoundsExhausted, advisory } };
}

function checkBoolean(value: unknown, path: string, fallback: boolean, problems: Problem[]): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  problems.push({ path, message: `must be true or false, got ${describeValue(value)}` });
  return fallback;
}

/**
 * Checks every reviewer against the graph: it reviews a phase of the workflow (or template), not
 * a map, other than itself, that is upstream of it (it needs it, directly or through others); and a phase has one
 * reviewer at most. Run on an acyclic graph of known ids.
 */
export function checkReviewers(
  phases: readonly PhaseDefinition[],
  problems: Problem[],
  listPath = 'phases',
): void {
  const byId = new Map(phases.map((p) => [p.id, p]));
  const reviewerOf = new Map<string, string>();
  phases.forEach((phase, index) => {
    if (phase.reviews === undefined) return;
    const path = `${listPath}[${index}].reviews`;
    const target = phase.reviews;
    if (target === phase.id) {
      problems.push({ path, message: `phase "${phase.id}" cannot review itself` });
      return;
    }
    if (!byId.has(target)) {
      problems.push({ path, message: `unknown phase "${target}"` });
      return;
    }
    if (byId.get(target)?.kind === 'map') {
      problems.push({
        path,
        message: `a map cannot be reviewed ("${target}"): put the reviewer in its template, next to the phase it reviews`,
      });
      return;
    }
    if (!reach(phase.id, (id) => byId.get(id)?.needs ?? []).has(target)) {
      problems.push({
        path,
        message: `"${target}" must be upstream of "${phase.id}" (the reviewer reads its output): add it to needs`,
      });
      return;
    }
    const other = reviewerOf.get(target);
    if (other !== undefined) {
      problems.push({
        path,
        message: `"${target}" already has a reviewer ("${other}"); a phase has one at most`,
      });
      return;
    }
    reviewerOf.set(target, phase.id);
  });
}
