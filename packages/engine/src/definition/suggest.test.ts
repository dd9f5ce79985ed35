import { describe, expect, it } from 'vitest';
import { countedList } from './counted-reads.test-support.js';
import { createSuggester, editDistance, suggest } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('colect', 'collect')).toBe(1);
    expect(editDistance('collect', 'colect')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('counts a swap of two adjacent characters as one edit', () => {
    expect(editDistance('nedes', 'needs')).toBe(1);
    expect(editDistance('agnet', 'agent')).toBe(1);
  });

  it('gives up with max + 1 once the distance must exceed the maximum', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });
});

describe('suggest', () => {
  it('suggests the closest candidate for a typo', () => {
    expect(suggest('neds', ['id', 'kind', 'needs', 'run'])).toBe('needs');
    expect(suggest('colect', ['collect', 'draft', 'publish'])).toBe('collect');
    expect(suggest('agnt', ['tool', 'agent', 'human'])).toBe('agent');
    expect(suggest('scriptd', ['scripted'])).toBe('scripted');
  });

  it('prefers a candidate that differs only in case', () => {
    expect(suggest('Draft', ['draft', 'drafts'])).toBe('draft');
  });

  it('returns nothing when no candidate is close', () => {
    expect(suggest('zzz', ['collect', 'draft'])).toBeUndefined();
    expect(suggest('ab', ['xy'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });

  it('does not suggest the word itself', () => {
    expect(suggest('draft', ['draft'])).toBeUndefined();
  });

  it('breaks ties in favour of the earliest candidate', () => {
    expect(suggest('cat', ['bat', 'cut', 'hat'])).toBe('bat');
  });
});

describe('createSuggester', () => {
  it('suggests like suggest and can leave one candidate out', () => {
    const suggestPhase = createSuggester(['collect', 'draft', 'drafts']);
    expect(suggestPhase('colect')).toBe('collect');
    expect(suggestPhase('draftx', 'draft')).toBe('drafts');
    expect(suggestPhase('zzz')).toBeUndefined();
  });

  it('stops comparing once its budget is spent but still finds case-only differences', () => {
    const suggestPhase = createSuggester(['collect', 'draft'], { budget: 2 });
    expect(suggestPhase('colect')).toBe('collect');
    expect(suggestPhase('drat')).toBeUndefined();
    expect(suggestPhase('DRAFT')).toBe('draft');
  });

  it('keeps the work for thousands of unknown names among thousands of candidates bounded', () => {
    // Work, not time: reads of the candidate list for n unknown names among n candidates, at n
    // and 2n. Without the budget every name would scan every candidate (4 times the work at 2n).
    const work = (n: number): number => {
      const ids = Array.from({ length: n }, (_, i) => `phase-${i}`);
      const { list, reads } = countedList(ids);
      const suggestPhase = createSuggester(list);
      expect(suggestPhase('phase-1x')).toBe('phase-1');
      for (let i = 2; i < n; i++) suggestPhase(`phase-${i}x`, `phase-${i}`);
      // Once the budget is spent only case-only differences are still found.
      expect(suggestPhase('PHASE-7')).toBe('phase-7');
      expect(suggestPhase('phase-7x')).toBeUndefined();
      return reads.of('element');
    };
    const half = work(5_000);
    expect(half).toBeGreaterThan(0);
    expect(work(10_000) / half).toBeLessThan(2.5);
  });
});
