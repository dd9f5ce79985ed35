import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '@baton/engine';
import { BASE_LOG, liveRunOf, numbered } from './run-fixtures.test-support.js';
import { INITIAL_RUN_UI_STATE, runReducer } from './run-reducer.js';
import { failedPhaseIds, firstApprovable, phaseDetails, runSpend, stageSteps } from './run-facts.js';
import type { LiveRun } from './live-run.js';

const after = (bodies: readonly RunEventBody[]): RunEvent[] => [
  ...BASE_LOG,
  ...numbered(bodies, BASE_LOG.length + 1),
];

describe('the run facts', () => {
  it('find the gate a person can approve now, and none once it is decided', () => {
    expect(firstApprovable(liveRunOf(BASE_LOG))?.phaseId).toBe('spec');
    const decided = after([
      { type: 'human_decision', phaseId: 'spec', attempt: 1, decision: 'approve', by: 'ana' },
      { type: 'phase_completed', phaseId: 'spec', attempt: 1, version: 1 },
    ]);
    expect(firstApprovable(liveRunOf(decided))).toBeUndefined();
  });

  it('list the failed phases in the run’s order', () => {
    const log = after([
      { type: 'human_decision', phaseId: 'spec', attempt: 1, decision: 'approve', by: 'ana' },
      { type: 'phase_completed', phaseId: 'spec', attempt: 1, version: 1 },
      { type: 'phase_ready', phaseId: 'plan', attempt: 1 },
      { type: 'phase_ready', phaseId: 'check', attempt: 1 },
      { type: 'phase_started', phaseId: 'plan', attempt: 1 },
      { type: 'phase_started', phaseId: 'check', attempt: 1 },
      { type: 'phase_failed', phaseId: 'plan', attempt: 1, error: { code: 'EXIT_CODE', message: 'exit 1' } },
      { type: 'phase_failed', phaseId: 'check', attempt: 1, error: { code: 'TIMEOUT', message: 'slow' } },
    ]);
    expect(failedPhaseIds(liveRunOf(log))).toEqual(['check', 'plan']);
  });

  it('weigh the cost against the budget in force, a raised budget over the workflow’s', () => {
    const base = liveRunOf(after([{ type: 'budget_raised', budget: { usd: 2, tokens: 1000 }, by: 'ana' }]));
    const live: LiveRun = {
      ...base,
      view: {
        ...base.view,
        usage: { calls: 3, inputTokens: 600, outputTokens: 300, cachedTokens: 0, costUsd: 0.5 },
      },
    };
    expect(runSpend(live)).toEqual({
      costUsd: 0.5,
      tokens: 900,
      budget: { usd: 2, tokens: 1000 },
      share: 0.9,
    });
    expect(runSpend(liveRunOf(BASE_LOG))).toEqual({ costUsd: 0, tokens: 0 });
  });

  it('mark the current stage and the ones passed, and nothing without stages', () => {
    const base = liveRunOf(BASE_LOG);
    expect(stageSteps(base)).toEqual([]);
    const staged: LiveRun = {
      ...base,
      state: {
        ...base.state,
        workflow: {
          ...base.state.workflow,
          stages: [
            { stage: 'drafting', run: ['running'] },
            { stage: 'spec_ready', run: ['waiting'] },
            { stage: 'done', run: ['completed'] },
          ],
        },
      },
      view: { ...base.view, stage: 'spec_ready' },
    };
    expect(stageSteps(staged)).toEqual([
      { stage: 'drafting', current: false, passed: true },
      { stage: 'spec_ready', current: true, passed: false },
      { stage: 'done', current: false, passed: false },
    ]);
  });

  it('take a phase’s last activity from the stream when it is newer than its start', () => {
    const live = liveRunOf(BASE_LOG);
    const started = live.state.phases.spec!.attempts[0]!.startedAt!;
    const later = new Date(started + 5000).toISOString();
    expect(phaseDetails({ ...live, activity: { spec: later } }).get('spec')).toMatchObject({
      startedAt: started,
      lastActivityAt: started + 5000,
    });
    expect(phaseDetails(live).get('spec')!.lastActivityAt).toBe(started);
    expect(phaseDetails(live).get('plan')).toEqual({});
  });
});

describe('the store’s log', () => {
  it('grows by each event folded, once, so the timeline is the stored log', () => {
    const loaded = runReducer(INITIAL_RUN_UI_STATE, {
      type: 'setSnapshot',
      snapshot: { ...liveRunOf(BASE_LOG), log: BASE_LOG },
    });
    const [decided, completed] = numbered(
      [
        { type: 'human_decision', phaseId: 'spec', attempt: 1, decision: 'approve', by: 'ana' },
        { type: 'phase_completed', phaseId: 'spec', attempt: 1, version: 1 },
      ],
      BASE_LOG.length + 1,
    ) as [RunEvent, RunEvent];
    let state = loaded;
    for (const event of [decided, decided, completed, { ...completed, seq: completed.seq + 5 }])
      state = runReducer(state, { type: 'applyEvent', event });
    expect(state.snapshot!.log).toEqual([...BASE_LOG, decided, completed]);
  });
});
