import { describe, expect, it } from 'vitest';
import { countedRecords } from './counted-reads.test-support.js';
import { topologicalOrder } from './topological-order.js';

const phase = (id: string, ...needs: string[]) => ({ id, needs });

describe('topologicalOrder', () => {
  it('keeps definition order when it is already a valid order', () => {
    expect(topologicalOrder([phase('a'), phase('b', 'a'), phase('c', 'b')])).toEqual(['a', 'b', 'c']);
  });

  it('moves a phase after the phases it needs even when defined before them', () => {
    expect(
      topologicalOrder([phase('publish', 'draft'), phase('draft', 'collect'), phase('collect')]),
    ).toEqual(['collect', 'draft', 'publish']);
  });

  it('orders independent phases by definition order', () => {
    // d needs c; a, b and c are independent.
    expect(topologicalOrder([phase('d', 'c'), phase('b'), phase('c'), phase('a')])).toEqual([
      'b',
      'c',
      'd',
      'a',
    ]);
    expect(topologicalOrder([phase('z'), phase('y'), phase('x')])).toEqual(['z', 'y', 'x']);
  });

  it('picks the ready phase defined first, whatever order the phases became ready in', () => {
    expect(topologicalOrder([phase('a'), phase('c'), phase('b', 'a')])).toEqual(['a', 'c', 'b']);
    expect(topologicalOrder([phase('b', 'a'), phase('a'), phase('c')])).toEqual(['a', 'b', 'c']);
  });

  it('leaves out phases on or behind a cycle', () => {
    expect(topologicalOrder([phase('a'), phase('b', 'c'), phase('c', 'b'), phase('d', 'c')])).toEqual(['a']);
  });

  it('ignores unknown and repeated needs', () => {
    expect(topologicalOrder([phase('a', 'ghost'), phase('b', 'a', 'a')])).toEqual(['a', 'b']);
  });

  it('orders a 10,000-phase chain defined backwards, reading each phase a fixed number of times', () => {
    // Work, not time (the time is in `npm run bench`): reads of the phases at n and 2n.
    const backwardsChain = (n: number) =>
      Array.from({ length: n }, (_, i) => phase(`p${n - 1 - i}`, ...(i === n - 1 ? [] : [`p${n - 2 - i}`])));
    const work = (n: number): number => {
      const { records, reads } = countedRecords(backwardsChain(n));
      const order = topologicalOrder(records);
      expect(order).toHaveLength(n);
      expect(order[0]).toBe('p0');
      expect(order[n - 1]).toBe(`p${n - 1}`);
      expect(order).toEqual(Array.from({ length: n }, (_, i) => `p${i}`));
      return reads.total();
    };
    const half = work(5_000);
    expect(half).toBeGreaterThan(0);
    expect(work(10_000) / half).toBeLessThan(2.5);
  });
});
