import { describe, expect, it } from 'vitest';
import type { PhaseRow } from '../../store/selectors.js';
import { graphEdges, layoutGraph, NODE_WIDTH, shapeKey } from './graph-layout.js';

const row = (id: string, needs: string[] = []): PhaseRow => ({
  id,
  status: 'blocked',
  attempts: 0,
  needs,
  gate: false,
});

describe('the run graph layout', () => {
  const rows = [row('spec'), row('plan', ['spec']), row('tests', ['spec']), row('build', ['plan', 'tests'])];

  it('draws an edge per need, from the needed phase to the one needing it', () => {
    expect(graphEdges(rows).map((edge) => edge.id)).toEqual([
      'spec->plan',
      'spec->tests',
      'plan->build',
      'tests->build',
    ]);
  });

  it('places each phase right of what it needs, and parallel phases apart', () => {
    const at = new Map(layoutGraph(rows).map((placed) => [placed.id, placed]));
    expect(at.get('plan')!.x).toBeGreaterThanOrEqual(at.get('spec')!.x + NODE_WIDTH);
    expect(at.get('build')!.x).toBeGreaterThanOrEqual(at.get('plan')!.x + NODE_WIDTH);
    expect(at.get('plan')!.y).not.toBe(at.get('tests')!.y);
  });

  it('keeps its shape key when only statuses change', () => {
    const running = rows.map((r) => ({ ...r, status: 'running' }));
    expect(shapeKey(running)).toBe(shapeKey(rows));
    expect(shapeKey([...rows, row('ship', ['build'])])).not.toBe(shapeKey(rows));
  });
});
