import { describe, expect, it } from 'vitest';
import { foldEvents, type RunEvent, type RunEventBody, type RunEventType } from '@baton/engine';
import { INITIAL_RUN_UI_STATE, runReducer, type RunUiState } from './run-reducer.js';
import {
  ARTIFACT,
  BASE_LOG,
  liveRunOf,
  numbered,
  RUN_ID,
  viewOf,
  WORKFLOW,
} from './run-fixtures.test-support.js';
import { phaseRows, pendingDecision, runStatus } from './selectors.js';
import { refreshesView } from './view-refresh.js';

const loaded = (log: readonly RunEvent[] = BASE_LOG): RunUiState =>
  runReducer(INITIAL_RUN_UI_STATE, { type: 'setSnapshot', snapshot: liveRunOf(log) });

const apply = (state: RunUiState, event: RunEvent): RunUiState =>
  runReducer(state, { type: 'applyEvent', event });

const next = (body: RunEventBody): RunEvent => numbered([body], BASE_LOG.length + 1)[0]!;

/**
 * One event of every type the engine has, each valid after {@link BASE_LOG}. A `Record` over the
 * event types: a new type does not compile until it has a case here.
 */
const EVERY_EVENT: Record<RunEventType, RunEventBody> = {
  run_created: { type: 'run_created', runId: RUN_ID, workflow: WORKFLOW, fixtures: {}, inputs: {}, by: 'x' },
  phase_copied: { type: 'phase_copied', phaseId: 'plan', fromRunId: 'run-0', status: 'skipped' },
  phase_ready: { type: 'phase_ready', phaseId: 'plan', attempt: 1 },
  phase_in_review: { type: 'phase_in_review', phaseId: 'spec', attempt: 1, version: 1 },
  review_verdict: {
    type: 'review_verdict',
    phaseId: 'check',
    attempt: 1,
    reviews: 'spec',
    verdict: 'revise',
    round: 1,
    version: 1,
  },
  map_expanded: { type: 'map_expanded', phaseId: 'each', attempt: 1, elements: [{}, {}] },
  phase_started: { type: 'phase_started', phaseId: 'plan', attempt: 1 },
  phase_output: { type: 'phase_output', phaseId: 'spec', attempt: 1, artifact: ARTIFACT, source: 'edit' },
  phase_completed: { type: 'phase_completed', phaseId: 'spec', attempt: 1, version: 1 },
  phase_failed: {
    type: 'phase_failed',
    phaseId: 'spec',
    attempt: 1,
    error: { code: 'TIMEOUT', message: 'took too long' },
  },
  waiting_for_human: {
    type: 'waiting_for_human',
    phaseId: 'plan',
    attempt: 1,
    reason: 'budget',
    source: 'budget',
  },
  human_decision: { type: 'human_decision', phaseId: 'spec', attempt: 1, decision: 'reject', by: 'ana' },
  phase_skipped: { type: 'phase_skipped', phaseId: 'plan', reason: 'not needed' },
  phase_cancelled: { type: 'phase_cancelled', phaseId: 'plan', reason: 'run cancelled', cause: 'run' },
  phase_reset: { type: 'phase_reset', phaseId: 'spec', reason: 'rewound' },
  run_rewound: { type: 'run_rewound', phaseId: 'spec', by: 'ana', inputs: { brief: 'again' } },
  tool_called: { type: 'tool_called', phaseId: 'spec', attempt: 1, tool: 'read', input: { path: 'a' } },
  phase_warning: {
    type: 'phase_warning',
    phaseId: 'spec',
    attempt: 1,
    code: 'BUDGET_WARNING',
    message: 'cut',
  },
  budget_raised: { type: 'budget_raised', budget: { usd: 5 }, by: 'ana' },
  run_titled: { type: 'run_titled', title: 'To-do list', by: 'ana', source: 'person' },
  run_paused: { type: 'run_paused', by: 'ana' },
  run_resumed: { type: 'run_resumed', by: 'ana' },
  run_cancelled: { type: 'run_cancelled', by: 'ana', reason: 'enough' },
  run_reopened: { type: 'run_reopened', by: 'ana', reason: 'one more change' },
  run_completed: { type: 'run_completed' },
  run_failed: { type: 'run_failed', reason: 'spec failed' },
};

describe('the run reducer', () => {
  const foldable = Object.values(EVERY_EVENT).filter((body) => body.type !== 'run_created');
  it.each(foldable.map((body) => [body.type, body] as const))(
    'folds a %s event exactly as the engine does and moves lastEventId to its seq',
    (_type, body) => {
      const before = loaded();
      const event = next(body);
      const after = apply(before, event);
      expect(after.snapshot!.state).toEqual(foldEvents(before.snapshot!.state, [event]));
      expect(after.lastEventId).toBe(event.seq);
      expect(after.resyncNeeded).toBe(false);
      expect(after.viewStale).toBe(refreshesView(event));
      // The view stays the server's until it is read again.
      expect(after.snapshot!.view).toBe(before.snapshot!.view);
    },
  );

  it('refuses a second run_created (the fold throws) by asking for a resync, state unchanged', () => {
    const before = loaded();
    const after = apply(before, next(EVERY_EVENT.run_created));
    expect(after.resyncNeeded).toBe(true);
    expect(after.snapshot).toBe(before.snapshot);
    expect(after.lastEventId).toBe(before.lastEventId);
  });

  it('ignores an event it already folded: the same state object comes back', () => {
    const once = apply(loaded(), next(EVERY_EVENT.phase_completed));
    expect(apply(once, next(EVERY_EVENT.phase_completed))).toBe(once);
  });

  it('ignores an older event, even one of another type', () => {
    const state = loaded();
    expect(apply(state, BASE_LOG[2]!)).toBe(state);
    expect(apply(state, { ...next(EVERY_EVENT.run_paused), seq: 3 })).toBe(state);
  });

  it('asks for a resync on a gap and folds nothing past it', () => {
    const state = loaded();
    const skipped = numbered([EVERY_EVENT.phase_completed, EVERY_EVENT.phase_ready], BASE_LOG.length + 1);
    const after = apply(state, skipped[1]!);
    expect(after.resyncNeeded).toBe(true);
    expect(after.snapshot).toBe(state.snapshot);
    expect(after.lastEventId).toBe(BASE_LOG.length);
  });

  it('folds events that arrive out of order only in seq order, once each', () => {
    const [completed, ready, started] = numbered(
      [
        { type: 'phase_completed', phaseId: 'spec', attempt: 1, version: 1 },
        { type: 'phase_ready', phaseId: 'plan', attempt: 1 },
        { type: 'phase_started', phaseId: 'plan', attempt: 1 },
      ],
      BASE_LOG.length + 1,
    ) as [RunEvent, RunEvent, RunEvent];
    let state = loaded();
    for (const event of [ready, completed, started, ready, completed, started]) state = apply(state, event);
    expect(state.resyncNeeded).toBe(true);
    expect(state.snapshot!.state).toEqual(foldEvents(undefined, [...BASE_LOG, completed, ready, started]));
    expect(state.lastEventId).toBe(started.seq);
  });

  it('clears the resync once a snapshot is set, keeping the selected phase when the run still has it', () => {
    let state = runReducer(loaded(), { type: 'selectPhase', phaseId: 'plan' });
    state = apply(state, { ...next(EVERY_EVENT.phase_ready), seq: 99 });
    expect(state.resyncNeeded).toBe(true);
    const log = [...BASE_LOG, next(EVERY_EVENT.phase_completed)];
    state = runReducer(state, { type: 'setSnapshot', snapshot: liveRunOf(log) });
    expect(state).toMatchObject({ resyncNeeded: false, lastEventId: log.length, selectedPhaseId: 'plan' });
    state = runReducer(state, { type: 'selectPhase', phaseId: 'gone' });
    state = runReducer(state, { type: 'setSnapshot', snapshot: liveRunOf(log) });
    expect(state.selectedPhaseId).toBeNull();
  });

  it('does nothing with an event before the first snapshot', () => {
    expect(apply(INITIAL_RUN_UI_STATE, BASE_LOG[0]!)).toBe(INITIAL_RUN_UI_STATE);
  });

  it("shows an action's answer at once, then the stream's events once they catch up", () => {
    const approved = next({
      type: 'human_decision',
      phaseId: 'spec',
      attempt: 1,
      decision: 'approve',
      by: 'a',
    });
    const completed = numbered([EVERY_EVENT.phase_completed], approved.seq + 1)[0]!;
    const answer = viewOf(foldEvents(undefined, [...BASE_LOG, approved, completed]));
    let state = loaded();
    expect(pendingDecision(state.snapshot!, 'spec')).toMatchObject({ phaseId: 'spec' });

    state = runReducer(state, { type: 'applyActionResponse', view: answer });
    expect(phaseRows(state.snapshot!).find((row) => row.id === 'spec')!.status).toBe('completed');
    expect(pendingDecision(state.snapshot!, 'spec')).toBeUndefined();
    expect(runStatus(state.snapshot!)).toBe('running');

    state = apply(apply(state, approved), completed);
    expect(state.snapshot!.view).toBe(answer);
    expect(state.viewStale).toBe(false);
    expect(phaseRows(state.snapshot!).find((row) => row.id === 'spec')!.status).toBe('completed');
  });

  it('keeps a newer view when an older answer arrives late', () => {
    const state = loaded();
    const older = { ...state.snapshot!.view, lastEventId: '2', status: 'failed' as const };
    expect(runReducer(state, { type: 'applyActionResponse', view: older })).toBe(state);
    const otherRun = { ...state.snapshot!.view, id: 'run-2', lastEventId: '50' };
    expect(runReducer(state, { type: 'applyActionResponse', view: otherRun })).toBe(state);
  });

  it('records the connection status and activity, unchanged values giving the same state', () => {
    let state = runReducer(loaded(), { type: 'setConnectionStatus', status: 'open' });
    expect(state.connectionStatus).toBe('open');
    expect(runReducer(state, { type: 'setConnectionStatus', status: 'open' })).toBe(state);
    state = runReducer(state, {
      type: 'activity',
      phaseId: 'spec',
      lastActivityAt: '2026-01-05T09:00:09.000Z',
    });
    expect(state.snapshot!.activity).toEqual({ spec: '2026-01-05T09:00:09.000Z' });
    expect(
      runReducer(state, { type: 'activity', phaseId: 'spec', lastActivityAt: '2026-01-05T09:00:09.000Z' }),
    ).toBe(state);
  });

  it('keeps the newest progress of each phase, an older attempt or frame changing nothing', () => {
    const frame = (attempt: number, at: number, text: string) =>
      ({ type: 'phase_progress', runId: RUN_ID, phaseId: 'spec', attempt, at, text }) as const;
    let state = runReducer(loaded(), { type: 'progress', progress: frame(1, 10, 'Writing') });
    state = runReducer(state, { type: 'progress', progress: frame(1, 20, 'Writing the spec') });
    expect(state.progress.spec?.text).toBe('Writing the spec');
    expect(runReducer(state, { type: 'progress', progress: frame(1, 15, 'late') })).toBe(state);
    state = runReducer(state, { type: 'progress', progress: frame(2, 5, 'Again') });
    expect(state.progress.spec).toMatchObject({ attempt: 2, text: 'Again' });
    expect(runReducer(state, { type: 'progress', progress: frame(1, 99, 'old attempt') })).toBe(state);
    // A resync keeps what was seen live: the stream does not replay it.
    expect(
      runReducer(state, { type: 'setSnapshot', snapshot: liveRunOf(BASE_LOG) }).progress.spec?.text,
    ).toBe('Again');
  });
});

describe('the phase rows', () => {
  it('list map instances before their map, with the edges of the run graph', () => {
    const log = [...BASE_LOG, next(EVERY_EVENT.map_expanded)];
    const rows = phaseRows(liveRunOf(log));
    expect(rows.map((row) => row.id)).toEqual([
      'spec',
      'check',
      'plan',
      'items',
      'each[0]',
      'each[1]',
      'each',
    ]);
    expect(rows.find((row) => row.id === 'each[1]')).toMatchObject({ map: 'each', needs: ['items'] });
    expect(rows.find((row) => row.id === 'each')!.needs).toEqual(['items', 'each[0]', 'each[1]']);
    expect(rows.find((row) => row.id === 'spec')).toMatchObject({
      status: 'waiting_for_human',
      gate: true,
      attempts: 1,
      waitingReason: 'gate',
    });
  });
});
