import { describe, expect, it } from 'vitest';
import type { PhaseRow } from '../../store/selectors.js';
import { graphEdges, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js';
import { layoutGrouped, mapSummaries, visibleRows } from './map-groups.js';

const row = (id: string, needs: string[], extra: Partial<PhaseRow> = {}): PhaseRow => ({
  id,
  status: 'blocked',
  attempts: 0,
  needs,
  gate: false,
  ...extra,
});

/** items -> each[0..2] -> each (the map collects) -> ship; `side` runs beside the map. */
const ROWS: PhaseRow[] = [
  row('items', []),
  row('side', ['items']),
  row('each[0]', ['items'], { map: 'each', status: 'completed' }),
  row('each[1]', ['items'], { map: 'each', status: 'running' }),
  row('each[2]', ['items'], { map: 'each', status: 'completed' }),
  row('each', ['items', 'each[0]', 'each[1]', 'each[2]']),
  row('ship', ['each', 'side']),
];

describe('map instances in the graph', () => {
  it('count a map’s instances by status', () => {
    expect(mapSummaries(ROWS).get('each')).toEqual({
      map: 'each',
      instances: 3,
      byStatus: { completed: 2, running: 1 },
    });
  });

  it('hide a collapsed map’s instances, the map then needing what they needed', () => {
    const shown = visibleRows(ROWS, new Set(['each']));
    expect(shown.map((r) => r.id)).toEqual(['items', 'side', 'each', 'ship']);
    expect(shown.find((r) => r.id === 'each')!.needs).toEqual(['items']);
    expect(graphEdges(shown).map((edge) => edge.id)).toEqual([
      'items->side',
      'items->each',
      'each->ship',
      'side->ship',
    ]);
    expect(visibleRows(ROWS, new Set())).toEqual(ROWS);
  });

  it('draw a box around an expanded map’s instances that holds them and no other phase', () => {
    const { placed, groups } = layoutGrouped(ROWS);
    expect(groups).toHaveLength(1);
    const box = groups[0]!;
    const inside = (id: string) => {
      const at = placed.find((p) => p.id === id)!;
      return (
        at.x >= box.x &&
        at.y >= box.y &&
        at.x + NODE_WIDTH <= box.x + box.width &&
        at.y + NODE_HEIGHT <= box.y + box.height
      );
    };
    expect(['each[0]', 'each[1]', 'each[2]'].every(inside)).toBe(true);
    expect(['items', 'side', 'each', 'ship'].some(inside)).toBe(false);
  });
});
