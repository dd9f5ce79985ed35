import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../definition/index.js';
import { PhaseStatus, type RunState } from '../types.js';
import { createStepContext } from './create-step-context.js';
import { claimStarted } from './impossible-transitions.js';
import {
  isPhaseTransition,
  PHASE_STATUSES,
  PHASE_TRANSITIONS,
  type PhaseTransitionTable,
} from './phase-transitions.js';
import { step } from './step.js';
import { Harness, json, phase, text, workflow } from './step-harness.test-support.js';

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

  /** The table without `from -> to`: the engine's correct move stands for a bug. */
  function without(from: PhaseStatus, to: PhaseStatus): PhaseTransitionTable {
    return { ...PHASE_TRANSITIONS, [from]: PHASE_TRANSITIONS[from].filter((status) => status !== to) };
  }

  function errorOf(state: RunState, phaseId: string): string {
    const phase = state.phases[phaseId];
    expect(phase).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    return phase!.error!.message;
  }

  it('fails the phase with INTERNAL in production, aborts its attempt, and the run can be resumed', () => {
    const h = new Harness(workflow(phase('a')));
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    const result = step(
      h.state,
      {
        type: 'fail',
        phaseId: 'a',
        attempt: 1,
        error: { code: 'EXIT_CODE', message: 'exit 1' },
        retryable: true,
      },
      h.now,
      { transitions: without('failed', 'ready') },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.events.map((event) => event.type)).toEqual(['phase_failed', 'run_failed']);
    expect(errorOf(result.state, 'a')).toContain(
      'phase "a": impossible transition failed -> ready (phase_ready) on input "fail"',
    );
    expect(result.commands).toEqual([
      { type: 'abort', phaseId: 'a', attempt: 1, reason: expect.stringContaining('impossible') as string },
    ]);

    // The run stays resumable: a person retries the phase and it runs again.
    const retried = step(result.state, { type: 'retry', phaseId: 'a', by: 'alice' }, h.now + 1, {
      strictTransitions: true,
    });
    if (!retried.ok) throw new Error(retried.error.message);
    expect(retried.state.status).toBe('running');
    expect(retried.state.phases['a']).toMatchObject({ status: 'ready', attempt: 2 });
  });

  it('also fails the phase whose result made another phase move impossibly, so neither is left running', () => {
    const h = new Harness(workflow(phase('a'), phase('b', { needs: ['a'] })));
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    const result = step(
      h.state,
      { type: 'succeed', phaseId: 'a', attempt: 1, output: json({ done: true }) },
      h.now,
      { transitions: without('blocked', 'ready') },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(errorOf(result.state, 'b')).toContain('phase "b": impossible transition blocked -> ready');
    expect(errorOf(result.state, 'a')).toContain('on input "succeed"');
    expect(result.state.status).toBe('failed');
    // `a` is failed, not running without a task: a person can retry it, and the run goes on.
    const retried = step(result.state, { type: 'retry', phaseId: 'a', by: 'alice' }, h.now + 1);
    if (!retried.ok) throw new Error(retried.error.message);
    expect(retried.state.phases['a']).toMatchObject({ status: 'ready', attempt: 2 });
  });

  it('fails a claimed phase instead of starting it, and the claim starts nothing', () => {
    const h = new Harness(workflow(phase('a')));
    const result = step(h.state, { type: 'claim', phaseId: 'a', attempt: 1 }, h.now, {
      transitions: without('ready', 'running'),
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(errorOf(result.state, 'a')).toContain('impossible transition ready -> running (phase_started)');
    expect(result.commands).toEqual([{ type: 'dequeue', phaseId: 'a' }]);
    expect(claimStarted(result, 'a', 1)).toBe(false);
    expect(claimStarted(h.apply({ type: 'claim', phaseId: 'a', attempt: 1 }), 'a', 1)).toBe(true);
  });

  it('fails a map whose expansion moved one of its new instances impossibly', () => {
    const defined = validateWorkflow({
      id: 'map',
      phases: [
        { id: 'plan', kind: 'tool', run: 'plan' },
        { id: 'each', kind: 'map', over: 'plan', phase: { kind: 'tool', run: 'work' } },
      ],
    });
    if (!defined.ok) throw new Error('invalid workflow');
    const h = new Harness(defined.workflow);
    h.run('plan', json(['x', 'y']));
    h.apply({ type: 'claim', phaseId: 'each', attempt: 1 });
    const result = step(
      h.state,
      { type: 'succeed', phaseId: 'each', attempt: 1, output: json(['x', 'y']) },
      h.now,
      { transitions: without('blocked', 'ready') },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(errorOf(result.state, 'each')).toContain(
      'phase "each[0]": impossible transition blocked -> ready',
    );
    expect(result.state.phases['each[0]']).toBeUndefined();
  });

  it('fails the phase a person’s run-wide input moved impossibly, leaving the rest of the input undone', () => {
    const h = new Harness(workflow(phase('a')));
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    const result = step(h.state, { type: 'cancel', by: 'alice' }, h.now, {
      transitions: without('running', 'cancelled'),
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(errorOf(result.state, 'a')).toContain(
      'impossible transition running -> cancelled (phase_cancelled)',
    );
    expect(result.events.map((event) => event.type)).not.toContain('run_cancelled');
  });

  it('keeps a new run and what its fork took over, failing the phase that moved impossibly', () => {
    const wf = workflow(phase('a'), phase('b', { needs: ['a'] }), phase('c', { needs: ['b'] }));
    const created = step(
      undefined,
      {
        type: 'create',
        runId: 'r9',
        workflow: wf,
        fixtures: {},
        inputs: {},
        by: 'test',
        fork: { runId: 'r1', phases: [{ phaseId: 'a', status: 'completed', output: text('a-out') }] },
      },
      1_000,
      { transitions: without('blocked', 'ready') },
    );
    if (!created.ok) throw new Error(created.error.message);
    expect(created.events.map((event) => event.type)).toEqual([
      'run_created',
      'phase_copied',
      'phase_failed',
      'run_failed',
    ]);
    expect(created.state.phases['a']).toMatchObject({ status: 'completed' });
    expect(errorOf(created.state, 'b')).toContain('impossible transition blocked -> ready');
    expect(created.state.phases['c']).toMatchObject({ status: 'blocked' });
  });
});
