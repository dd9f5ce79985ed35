/**
 * Did-you-mean suggestions for misspelt names (fields, phase ids, kinds, agents).
 */

/**
 * Optimal-string-alignment distance between `a` and `b` (insertions, deletions, substitutions and
 * swaps of two adjacent characters each cost 1). Gives up early and returns `max + 1` once the
 * distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  let beforePrevious = new Int32Array(width);
  let previous = Int32Array.from({ length: width }, (_, j) => j);
  let current = new Int32Array(width);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word`, or `undefined` when nothing is close enough to be a plausible
 * typo. Case-only differences win; otherwise the smallest edit distance within roughly a third of
 * the word's length (at least 1) wins, ties going to the earliest candidate, so the answer is
 * deterministic.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const max = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), bestDistance - 1);
    // A distance as long as the shorter word means nothing is shared: not a typo.
    if (distance < bestDistance && distance < Math.min(word.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Options of {@link createSuggester}. */
export interface SuggesterOptions {
  /**
   * How many edit-distance comparisons all calls together may make (default 100,000). Once spent,
   * only case-only differences are suggested, so a file with thousands of typos among thousands of
   * names is still checked quickly. Counting comparisons rather than time keeps answers
   * deterministic.
   */
  readonly budget?: number;
}

/**
 * {@link suggest} over a fixed, possibly large, list of candidates, with a shared work budget.
 * The returned function takes the misspelt word and a candidate to leave out (e.g. the phase's
 * own id).
 */
export function createSuggester(
  candidates: readonly string[],
  options: SuggesterOptions = {},
): (word: string, exclude?: string) => string | undefined {
  let budget = options.budget ?? 100_000;
  const byLowerCase = new Map<string, string[]>();
  for (const candidate of candidates) {
    const key = candidate.toLowerCase();
    const same = byLowerCase.get(key);
    if (same === undefined) byLowerCase.set(key, [candidate]);
    else same.push(candidate);
  }
  return (word, exclude) => {
    const sameCase = byLowerCase.get(word.toLowerCase())?.find((c) => c !== word && c !== exclude);
    if (sameCase !== undefined) return sameCase;
    if (budget <= 0) return undefined;
    const max = Math.max(1, Math.floor(word.length / 3));
    const near = candidates.filter(
      (c) => c !== exclude && c !== word && Math.abs(c.length - word.length) <= max,
    );
    if (near.length > budget) {
      budget = 0;
      return undefined;
    }
    budget -= near.length;
    return suggest(word, near);
  };
}
