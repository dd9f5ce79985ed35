import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PhaseStatus } from '../types.js';
import { createStepContext } from './create-step-context.js';
import { failImpossibleTransitions } from './impossible-transitions.js';
import { isPhaseTransition, PHASE_STATUSES, PHASE_TRANSITIONS } from './phase-transitions.js';
import { step } from './step.js';
import { Harness, json, phase, workflow } from './step-harness.test-support.js';

/** Every `from -> to` the table allows. */
const tableMoves = PHASE_STATUSES.flatMap((from) => PHASE_TRANSITIONS[from].map((to) => `${from} -> ${to}`));

describe('the phase transition table', () => {
  it('has a row for every phase status and names only phase statuses, never a status itself', () => {
    expect(Object.keys(PHASE_TRANSITIONS).sort()).toEqual(Object.values(PhaseStatus).sort());
    for (const from of PHASE_STATUSES) {
      for (const to of PHASE_TRANSITIONS[from]) {
        expect(PHASE_STATUSES).toContain(to);
        expect(to).not.toBe(from);
      }
      expect(new Set(PHASE_TRANSITIONS[from]).size).toBe(PHASE_TRANSITIONS[from].length);
    }
  });

  it('allows the moves the engine makes and refuses the ones it never makes', () => {
    expect(isPhaseTransition('blocked', 'ready')).toBe(true);
    expect(isPhaseTransition('running', 'blocked')).toBe(true);
    expect(isPhaseTransition('failed', 'ready')).toBe(true);
    expect(isPhaseTransition('waiting_for_human', 'rejected')).toBe(true);
    expect(isPhaseTransition('blocked', 'running')).toBe(false);
    expect(isPhaseTransition('completed', 'running')).toBe(false);
    expect(isPhaseTransition('running', 'ready')).toBe(false);
    expect(isPhaseTransition('skipped', 'completed')).toBe(false);
    expect(isPhaseTransition('in_review', 'failed')).toBe(false);
  });

  it('lets a phase stay in its status (an event that changes something else is no move)', () => {
    for (const status of PHASE_STATUSES) expect(isPhaseTransition(status, status)).toBe(true);
  });

  it('is the list of moves in the module comment, and every status is described there', () => {
    const source = readFileSync(new URL('./phase-transitions.ts', import.meta.url), 'utf8');
    const header = source.slice(0, source.indexOf('*/'));
    const documented = [...header.matchAll(/^ \* - (\w+)\s+-> (\w+)\s/gm)].map((m) => `${m[1]} -> ${m[2]}`);
    expect(documented.sort()).toEqual([...tableMoves].sort());
    for (const status of PHASE_STATUSES) expect(header).toMatch(new RegExp(`^ \\* - \`${status}\``, 'm'));
  });
});

describe('a move only an answered interrupt makes', () => {
  it('an interrupted reviewer answered with a failing verdict goes from waiting_for_human to failed', () => {
    const review = { rounds: 1, reReview: true, onRoundsExhausted: 'human', advisory: false } as const;
    const h = new Harness(
      workflow(
        phase('a'),
        phase('v', { kind: 'agent', agent: 'writer', run: undefined, needs: ['a'], reviews: 'a', review }),
      ),
    );
    h.run('a');
    expect(h.status('a')).toBe('in_review');
    h.suspend('v', 'interrupt', 'is this good enough?');
    expect(h.status('v')).toBe('waiting_for_human');
    const verdict = json({ verdict: 'fail', findings: [{ severity: 'blocking', message: 'no' }] });
    const answered = h.apply({
      type: 'decide',
      phaseId: 'v',
      decision: { kind: 'submit', output: verdict },
      by: 'ann',
    });
    expect(answered.ok).toBe(true);
    expect(h.state.phases['v']).toMatchObject({ status: 'failed', error: { code: 'REVIEW_FAILED' } });
  });
});

describe('a phase move outside the table', () => {
  /** A run whose only phase `a` is running attempt 1. */
  function running() {
    const h = new Harness(workflow(phase('a')));
    expect(h.apply({ type: 'claim', phaseId: 'a', attempt: 1 }).ok).toBe(true);
    return h;
  }

  it('throws in a strict step (the test harnesses), naming the phase and the move', () => {
    const h = running();
    const ctx = createStepContext(h.state, h.now, { strictTransitions: true });
    expect(() => ctx.emit({ type: 'phase_ready', phaseId: 'a', attempt: 2 })).toThrow(
      'phase "a": impossible transition running -> ready (phase_ready)',
    );
  });

  it('is recorded, not thrown, in a production step', () => {
    const h = running();
    const ctx = createStepContext(h.state, h.now);
    ctx.emit({ type: 'phase_ready', phaseId: 'a', attempt: 2 });
    expect(ctx.impossible).toEqual([{ phaseId: 'a', from: 'running', to: 'ready', event: 'phase_ready' }]);
  });

  it('fails the phase with INTERNAL in production, aborts its attempt, and the run can be resumed', () => {
    const h = running();
    const move = { phaseId: 'a', from: 'running', to: 'ready', event: 'phase_ready' } as const;
    const ctx = failImpossibleTransitions(h.state, undefined, [move, move], 'succeed', h.now);
    const state = ctx.settle();
    expect(ctx.events.map((event) => event.type)).toEqual(['phase_failed', 'run_failed']);
    const failed = ctx.events[0];
    if (failed?.type !== 'phase_failed') throw new Error('expected phase_failed');
    expect(failed.error.code).toBe('INTERNAL');
    expect(failed.error.message).toContain(
      'phase "a": impossible transition running -> ready (phase_ready) on input "succeed"',
    );
    expect(ctx.commands).toEqual([
      { type: 'abort', phaseId: 'a', attempt: 1, reason: expect.stringContaining('impossible') as string },
    ]);
    expect(state.phases['a']?.status).toBe('failed');

    // The run stays resumable: a person retries the phase and it runs again.
    const retried = step(state, { type: 'retry', phaseId: 'a', by: 'alice' }, h.now + 1, {
      strictTransitions: true,
    });
    expect(retried.ok).toBe(true);
    if (!retried.ok) return;
    expect(retried.state.status).toBe('running');
    expect(retried.state.phases['a']).toMatchObject({ status: 'ready', attempt: 2 });
  });

  it('fails a new run’s phase from its creation when the move happened while creating it', () => {
    const created = step(
      undefined,
      {
        type: 'create',
        runId: 'r9',
        workflow: workflow(phase('a'), phase('b', { needs: ['a'] })),
        fixtures: {},
        inputs: {},
        by: 'test',
      },
      1_000,
    );
    if (!created.ok) throw new Error(created.error.message);
    const move = { phaseId: 'b', from: 'blocked', to: 'running', event: 'phase_started' } as const;
    const ctx = failImpossibleTransitions(undefined, created.events[0], [move], 'create', 1_000);
    const state = ctx.settle();
    expect(ctx.events.map((event) => event.type)).toEqual(['run_created', 'phase_failed', 'phase_ready']);
    expect(state.phases['b']).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    expect(state.phases['a']).toMatchObject({ status: 'ready', attempt: 1 });
    expect(state.status).toBe('running');
  });
});
