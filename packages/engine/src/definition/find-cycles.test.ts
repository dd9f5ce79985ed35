import { describe, expect, it } from 'vitest';
import { findCycles } from './find-cycles.js';

const phase = (id: string, ...needs: string[]) => ({ id, needs });

describe('findCycles', () => {
  it('finds nothing in a graph without cycles', () => {
    expect(findCycles([phase('a'), phase('b', 'a'), phase('c', 'a', 'b')])).toEqual([]);
  });

  it('lists a cycle in run order starting at the phase defined first', () => {
    // b needs a, c needs b, a needs c: a runs before b, b before c, c before a.
    expect(findCycles([phase('b', 'a'), phase('a', 'c'), phase('c', 'b')])).toEqual([['b', 'c', 'a']]);
    expect(findCycles([phase('a', 'c'), phase('b', 'a'), phase('c', 'b')])).toEqual([['a', 'b', 'c']]);
  });

  it('reports each of several separate cycles once', () => {
    const phases = [phase('a', 'b'), phase('b', 'a'), phase('x'), phase('c', 'd'), phase('d', 'c')];
    expect(findCycles(phases)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reports two cycles that share a phase separately', () => {
    // a <-> b and a <-> c.
    const phases = [phase('a', 'b', 'c'), phase('b', 'a'), phase('c', 'a')];
    expect(findCycles(phases)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
    ]);
  });

  it('ignores phases that need themselves and ids that do not exist', () => {
    expect(findCycles([phase('a', 'a', 'ghost'), phase('b', 'a')])).toEqual([]);
  });

  it('stops at the limit', () => {
    const phases = Array.from({ length: 20 }, (_, i) => [
      phase(`a${i}`, `b${i}`),
      phase(`b${i}`, `a${i}`),
    ]).flat();
    expect(findCycles(phases, { limit: 3 })).toHaveLength(3);
    expect(findCycles(phases)).toHaveLength(20);
  });

  it('handles a 10,000-phase ring without overflowing the stack', () => {
    const n = 10_000;
    const phases = Array.from({ length: n }, (_, i) => phase(`p${i}`, `p${(i + n - 1) % n}`));
    const cycles = findCycles(phases);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
    expect(cycles[0]![0]).toBe('p0');
    expect(cycles[0]![1]).toBe('p1');
  });

  it('gives the same answer every time', () => {
    const phases = [phase('a', 'c'), phase('b', 'a', 'c'), phase('c', 'b', 'a')];
    expect(findCycles(phases)).toEqual(findCycles(phases));
  });
});
