import { describe, expect, it } from 'vitest';
import type { RunChangeView, RunListItem } from '@baton/client';
import { applyTenantEvent, mergeRows, rowOfListItem, type RunRow } from './run-rows.js';

const item = (id: string, createdAt: string, extra: Partial<RunListItem> = {}): RunListItem => ({
  id,
  workflow: 'feature',
  status: 'running',
  stage: null,
  createdAt,
  updatedAt: createdAt,
  ...extra,
});

const change = (id: string, createdAt: string, updatedAt: string, extra: Partial<RunChangeView> = {}) => ({
  type: 'run' as const,
  id: `c-${updatedAt}`,
  run: {
    id,
    workflow: 'feature',
    status: 'waiting' as const,
    createdAt,
    updatedAt,
    lastEventId: '9',
    stage: 'spec_ready',
    waitingFor: ['spec'],
    running: [],
    usage: { calls: 2, inputTokens: 10, outputTokens: 5, cachedTokens: 0, costUsd: 0.25 },
    ...extra,
  },
});

const page: RunRow[] = [item('b', '2026-01-02T00:00:00Z'), item('a', '2026-01-01T00:00:00Z')].map(
  rowOfListItem,
);

describe('the dashboard rows', () => {
  it('take a change of a listed run, with its cost and who it waits for', () => {
    const rows = applyTenantEvent(page, change('a', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'));
    expect(rows.map((row) => row.id)).toEqual(['b', 'a']);
    expect(rows[1]).toMatchObject({
      status: 'waiting',
      costUsd: 0.25,
      waitingFor: ['spec'],
      stage: 'spec_ready',
    });
  });

  it('put a new run first', () => {
    const rows = applyTenantEvent(page, change('c', '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z'));
    expect(rows.map((row) => row.id)).toEqual(['c', 'b', 'a']);
  });

  it('never go back in time: an older state of a run changes nothing but what only it knew', () => {
    const newer = applyTenantEvent(page, change('a', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z'));
    const older = mergeRows(newer, [
      rowOfListItem(
        item('a', '2026-01-01T00:00:00Z', { updatedAt: '2026-01-02T00:00:00Z', status: 'running' }),
      ),
    ]);
    expect(older.find((row) => row.id === 'a')).toMatchObject({ status: 'waiting', costUsd: 0.25 });
  });

  it('keep the cost a change told when a newer list page arrives', () => {
    const changed = applyTenantEvent(page, change('a', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'));
    const reread = mergeRows(changed, [
      rowOfListItem(
        item('a', '2026-01-01T00:00:00Z', { updatedAt: '2026-01-06T00:00:00Z', status: 'completed' }),
      ),
    ]);
    expect(reread.find((row) => row.id === 'a')).toMatchObject({ status: 'completed', costUsd: 0.25 });
  });

  it('drop a deleted run, and are the same rows when nothing changes', () => {
    expect(applyTenantEvent(page, { type: 'run_deleted', id: 'x', runId: 'a' }).map((row) => row.id)).toEqual(
      ['b'],
    );
    expect(applyTenantEvent(page, { type: 'run_deleted', id: 'x', runId: 'zz' })).toBe(page);
    expect(applyTenantEvent(page, { type: 'ready', id: 'x', resumed: false })).toBe(page);
  });
});
