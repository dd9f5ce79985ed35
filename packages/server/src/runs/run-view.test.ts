import { describe, expect, it } from 'vitest';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { buildRunView } from './run-view.js';

async function store() {
  const runs = createInMemoryRunStore();
  const workflow = testWorkflow(
    'wf',
    testPhase('build'),
    testPhase('ask', { kind: 'human' }),
    testPhase('gate', { gate: true }),
  );
  await runs.createRun({ type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 'ana' }, 1_000);
  await runs.apply('r', { type: 'claim', phaseId: 'build', attempt: 1 }, 2_000);
  return runs;
}

describe('buildRunView', () => {
  it("gives a running attempt's start as its latest activity, or a later one reported", async () => {
    const runs = await store();
    const state = (await runs.getRun('r'))!;
    const started = await buildRunView(runs, state);
    expect(started.phases.find((p) => p.id === 'build')?.lastActivityAt).toBe(new Date(2_000).toISOString());
    expect(started.phases.find((p) => p.id === 'gate')?.lastActivityAt).toBeUndefined();
    const reported = await buildRunView(runs, state, { activity: new Map([['build', 5_000]]) });
    expect(reported.phases.find((p) => p.id === 'build')?.lastActivityAt).toBe(new Date(5_000).toISOString());
  });

  it('lists the phases waiting for a person with what answers each, and the last event', async () => {
    const runs = await store();
    const state = (await runs.getRun('r'))!;
    const view = await buildRunView(runs, state);
    expect(view.pendingDecisions).toEqual([
      {
        phaseId: 'ask',
        source: 'human',
        reason: expect.any(String),
        since: new Date(1_000).toISOString(),
        decisions: ['submit', 'reject'],
      },
    ]);
    expect(view.lastEventId).toBe(String(state.seq));
    expect(view.usage).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 });
    expect(view).toMatchObject({ createdBy: 'ana', inputs: {}, createdAt: new Date(1_000).toISOString() });
  });
});
