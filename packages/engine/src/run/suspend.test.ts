import { describe, expect, it } from 'vitest';
import { effectiveBudgets } from './budgets.js';
import { Harness, phase, text, workflow } from './step-harness.test-support.js';

const agent = (id: string, extra: Parameters<typeof phase>[1] = {}) =>
  phase(id, { kind: 'agent', agent: 'writer', run: undefined, ...extra });

/** Suspends a phase's current attempt with the test's usual reasons. */
function suspend(h: Harness, phaseId: string, source: 'budget' | 'interrupt', pauseRun?: boolean) {
  const reason = source === 'budget' ? 'the run budget of 100 tokens would be crossed' : 'which database?';
  return h.suspend(phaseId, source, reason, pauseRun);
}

describe('suspended attempts', () => {
  it('a budget wait stops the attempt; raising the budget runs the phase again as a new attempt', () => {
    const h = new Harness({ ...workflow(agent('a'), agent('b', { needs: ['a'] })), budget: { tokens: 100 } });
    h.run('a');
    suspend(h, 'b', 'budget');
    expect(h.status('b')).toBe('waiting_for_human');
    expect(h.state.phases.b!.waiting).toMatchObject({ source: 'budget', reason: /100 tokens/ });
    expect(h.state.phases.b!.attempts.at(-1)).toMatchObject({ attempt: 1, status: 'suspended' });
    expect(h.state.status).toBe('waiting');

    // Only a raise (or reject / cancel) moves it: approving a budget wait is refused, saying what to do.
    const approve = h.apply({ type: 'decide', phaseId: 'b', decision: { kind: 'approve' }, by: 'ann' });
    expect(approve).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(!approve.ok && approve.error.message).toMatch(/baton budget r1 --tokens N/);

    const raised = h.apply({ type: 'raise_budget', budget: { tokens: 500 }, by: 'ann' });
    expect(raised.ok && raised.commands).toContainEqual(
      expect.objectContaining({ type: 'enqueue', phaseId: 'b', attempt: 2 }),
    );
    expect(h.state.budgets).toEqual({ run: { tokens: 500 } });
    expect(effectiveBudgets(h.state, 'b')).toEqual({ run: { tokens: 500 } });
    // The suspended attempt does not count against the retry policy: a new series starts.
    expect(h.state.phases.b!.seriesStart).toBe(2);
    h.run('b');
    expect(h.state.status).toBe('completed');
  });

  it('a raised limit replaces only the limit given; a phase budget is the phase’s own', () => {
    const h = new Harness({
      ...workflow(agent('a', { budget: { tokens: 50, usd: 1 } })),
      budget: { tokens: 1000, usd: 2 },
    });
    h.apply({ type: 'raise_budget', phaseId: 'a', budget: { usd: 3 }, by: 'ann' });
    h.apply({ type: 'raise_budget', phaseId: 'a', budget: { tokens: 80 }, by: 'ann' });
    expect(effectiveBudgets(h.state, 'a')).toEqual({
      run: { tokens: 1000, usd: 2 },
      phase: { tokens: 80, usd: 3 },
    });
  });

  it('refuses a budget that is not one, a non-agent phase, and an ended run', () => {
    const h = new Harness(workflow(agent('a'), phase('t')));
    expect(h.apply({ type: 'raise_budget', budget: {}, by: 'ann' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /"tokens" or "usd"/ },
    });
    expect(h.apply({ type: 'raise_budget', budget: { tokens: 1.5 }, by: 'ann' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /positive whole number/ },
    });
    expect(h.apply({ type: 'raise_budget', phaseId: 't', budget: { usd: 1 }, by: 'ann' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /tool phase/ },
    });
    h.apply({ type: 'cancel', by: 'ann' });
    expect(h.apply({ type: 'raise_budget', budget: { usd: 1 }, by: 'ann' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION', message: /has ended/ },
    });
  });

  it('an interrupt waits for an answer: request changes runs again with the answer as feedback', () => {
    const h = new Harness(workflow(agent('a')));
    suspend(h, 'a', 'interrupt');
    expect(h.state.phases.a!.waiting).toMatchObject({ source: 'interrupt', reason: 'which database?' });
    expect(h.state.paused).toBe(false);
    h.apply({
      type: 'decide',
      phaseId: 'a',
      decision: { kind: 'request_changes', feedback: 'PostgreSQL' },
      by: 'ann',
    });
    expect(h.state.phases.a).toMatchObject({ status: 'ready', attempt: 2 });
    expect(h.state.phases.a!.attempts.at(-1)).toMatchObject({ attempt: 2, feedback: 'PostgreSQL' });
  });

  it('an interrupt answered by approving runs again; a submitted output completes the phase', () => {
    const h = new Harness(workflow(agent('a'), agent('b')));
    suspend(h, 'a', 'interrupt');
    h.apply({ type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ann' });
    expect(h.state.phases.a).toMatchObject({ status: 'ready', attempt: 2 });

    suspend(h, 'b', 'interrupt');
    h.apply({
      type: 'decide',
      phaseId: 'b',
      decision: { kind: 'submit', output: text('by hand') },
      by: 'ann',
    });
    expect(h.state.phases.b).toMatchObject({ status: 'completed', output: { version: 1 } });
  });

  it('an interrupt with pauseRun pauses the whole run; nothing new starts until it resumes', () => {
    const h = new Harness(workflow(agent('a'), agent('b')));
    const result = suspend(h, 'a', 'interrupt', true);
    expect(h.state.paused).toBe(true);
    expect(h.state.status).toBe('paused');
    expect(result.ok && result.commands).toContainEqual({ type: 'dequeue', phaseId: 'b' });
    expect(h.log.at(-1)).toMatchObject({ type: 'run_paused', by: 'agent of "a"', reason: 'which database?' });
    h.apply({ type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ann' });
    expect(h.status('a')).toBe('ready');
    expect(h.apply({ type: 'claim', phaseId: 'a', attempt: 2 })).toMatchObject({ ignored: /paused/ });
    h.apply({ type: 'resume', by: 'ann' });
    h.run('a');
    expect(h.status('a')).toBe('completed');
  });

  it('records warnings of the running attempt and ignores stale signals', () => {
    const h = new Harness(workflow(agent('a')));
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    h.apply({ type: 'warn', phaseId: 'a', attempt: 1, code: 'BUDGET_WARNING', message: '80% used' });
    expect(h.state.phases.a!.warnings).toEqual([
      { attempt: 1, code: 'BUDGET_WARNING', message: '80% used', at: h.now },
    ]);
    h.apply({ type: 'succeed', phaseId: 'a', attempt: 1, output: text('done') });
    const late = h.apply({
      type: 'warn',
      phaseId: 'a',
      attempt: 1,
      code: 'REVIEWER_SAME_MODEL',
      message: 'late',
    });
    expect(late).toMatchObject({ ok: true, events: [], ignored: /not running/ });
    const suspendLate = h.apply({ type: 'suspend', phaseId: 'a', attempt: 1, source: 'budget', reason: 'x' });
    expect(suspendLate).toMatchObject({ ok: true, events: [], ignored: /not running/ });
  });
});
