import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../definition/validate-workflow.js';
import { planRunRetry } from './retry-plan.js';
import { Harness, json, phase, workflow } from './step-harness.test-support.js';

const once = { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 };

/** Runs every ready phase once (gates approved), until nothing is ready; `failing` fails for good. */
function drive(h: Harness, failing: readonly string[] = []): void {
  for (;;) {
    const ready = h.state.order.filter((id) => h.status(id) === 'ready');
    const waiting = h.state.order.filter((id) => h.status(id) === 'waiting_for_human');
    if (ready.length === 0 && waiting.length === 0) return;
    for (const id of waiting)
      h.apply({ type: 'decide', phaseId: id, decision: { kind: 'approve' }, by: 'ana' });
    for (const id of ready) {
      if (failing.includes(id)) h.fail(id, { retryable: false });
      // A map's attempt reads its items (two elements), then collects.
      else h.run(id, h.state.definitions[id]?.map === undefined ? undefined : json(['x', 'y']));
    }
  }
}

function targetsOf(h: Harness): readonly string[] {
  const plan = planRunRetry(h.state);
  if (!plan.ok) throw new Error(plan.message);
  return plan.targets;
}

/** brief -> spec (gate) -> plan (gate) -> tests (gate) -> implement -> security ∥ code -> verdict. */
const feature = workflow(
  phase('brief'),
  phase('spec', { needs: ['brief'], gate: true }),
  phase('plan', { needs: ['spec'], gate: true }),
  phase('tests', { needs: ['plan'], gate: true }),
  phase('implement', { needs: ['tests'] }),
  phase('security', { needs: ['implement'], retry: once }),
  phase('code', { needs: ['implement'] }),
  phase('verdict', { needs: ['security', 'code'], retry: once }),
);

describe('planRunRetry', () => {
  it('with no gate upstream retries the failed phase itself', () => {
    const h = new Harness(
      workflow(phase('a'), phase('b', { needs: ['a'], retry: once }), phase('c', { needs: ['b'] })),
    );
    drive(h, ['b']);
    expect(h.state.status).toBe('failed');
    expect(targetsOf(h)).toEqual(['b']);
  });

  it('retries from the phases after the newest gate that leads to the failed phase', () => {
    const h = new Harness(feature);
    drive(h, ['verdict']);
    expect(targetsOf(h)).toEqual(['implement']);
    const other = new Harness(feature);
    drive(other, ['security']);
    expect(targetsOf(other)).toEqual(['implement']);
  });

  it('a rejected gate with no gate before it is retried itself; one after a gate from what follows that gate', () => {
    const h = new Harness(feature);
    h.run('brief');
    h.run('spec');
    h.apply({ type: 'decide', phaseId: 'spec', decision: { kind: 'reject' }, by: 'ana' });
    expect(h.state.status).toBe('failed');
    expect(targetsOf(h)).toEqual(['spec']);
    const later = new Harness(feature);
    later.run('brief');
    later.run('spec');
    later.apply({ type: 'decide', phaseId: 'spec', decision: { kind: 'approve' }, by: 'ana' });
    later.run('plan');
    later.apply({ type: 'decide', phaseId: 'plan', decision: { kind: 'reject' }, by: 'ana' });
    expect(targetsOf(later)).toEqual(['plan']);
  });

  it('on parallel branches takes each branch after its own newest gate', () => {
    // gate-a -> a1 -> a2 ─┐
    //                     ├─> join (fails)
    // gate-b ──> b1 ──────┘      and x, a branch after gate-a that does not lead to join
    const h = new Harness(
      workflow(
        phase('gate-a', { gate: true }),
        phase('a1', { needs: ['gate-a'] }),
        phase('a2', { needs: ['a1'] }),
        phase('x', { needs: ['gate-a'] }),
        phase('gate-b', { gate: true }),
        phase('b1', { needs: ['gate-b'] }),
        phase('join', { needs: ['a2', 'b1'], retry: once }),
      ),
    );
    drive(h, ['join']);
    expect(targetsOf(h)).toEqual(['a1', 'b1']);
  });

  it('keeps only the newest of gates in a row, and drops targets another target reruns', () => {
    const h = new Harness(
      workflow(
        phase('g1', { gate: true }),
        phase('g2', { needs: ['g1'], gate: true }),
        // m needs both gates: after g2 it is a target; n follows m and also needs g2.
        phase('m', { needs: ['g1', 'g2'] }),
        phase('n', { needs: ['m', 'g2'], retry: once }),
      ),
    );
    drive(h, ['n']);
    expect(targetsOf(h)).toEqual(['m']);
  });

  it('with two failed phases retries from the checkpoints of each', () => {
    const h = new Harness(
      workflow(
        phase('g', { gate: true }),
        phase('a', { needs: ['g'], retry: once }),
        phase('b', { retry: once }),
      ),
    );
    drive(h, ['a', 'b']);
    expect(targetsOf(h)).toEqual(['a', 'b']);
  });

  it('in a map retries a failed instance from after the gate its element passed', () => {
    const result = validateWorkflow({
      id: 'mapped',
      phases: [
        { id: 'plan', kind: 'tool', run: 'plan', gate: true },
        {
          id: 'tasks',
          kind: 'map',
          over: 'plan',
          phases: [
            { id: 'code', kind: 'tool', run: 'code', gate: true },
            { id: 'test', kind: 'tool', run: 'test', needs: ['code'], retry: once },
          ],
        },
        { id: 'ship', kind: 'tool', run: 'ship', needs: ['tasks'] },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const h = new Harness(result.workflow);
    drive(h, ['tasks[1].test']);
    expect(h.state.status).toBe('failed');
    expect(targetsOf(h)).toEqual(['tasks[1].test']);
    // Without the template's gate, the element runs again from after the plan's gate.
    const plain = validateWorkflow({
      id: 'mapped',
      phases: [
        { id: 'plan', kind: 'tool', run: 'plan', gate: true },
        {
          id: 'tasks',
          kind: 'map',
          over: 'plan',
          phases: [
            { id: 'code', kind: 'tool', run: 'code' },
            { id: 'test', kind: 'tool', run: 'test', needs: ['code'], retry: once },
          ],
        },
      ],
    });
    if (!plain.ok) throw new Error(JSON.stringify(plain.problems));
    const p = new Harness(plain.workflow);
    drive(p, ['tasks[0].test']);
    expect(targetsOf(p)).toEqual(['tasks[0].code']);
  });

  it('refuses a run that did not fail, saying what to do instead', () => {
    const h = new Harness(feature);
    expect(planRunRetry(h.state)).toEqual({
      ok: false,
      message:
        'run r1 is running, not failed: retry a failed phase with `baton retry r1 PHASE`, or wait for the run to end',
    });
    drive(h);
    expect(h.state.status).toBe('completed');
    expect(planRunRetry(h.state)).toMatchObject({
      ok: false,
      message: expect.stringContaining('baton rewind r1 PHASE'),
    });
  });
});

describe('step: retry_run', () => {
  it('reruns the phases after the last gate at the next attempt; those before keep theirs', () => {
    const h = new Harness(feature);
    drive(h, ['verdict']);
    const result = h.apply({ type: 'retry_run', by: 'ana', reason: 'flaky reviewer' });
    expect(result.ok).toBe(true);
    expect(h.state.status).toBe('running');
    expect(h.log.slice(-7).map((e) => e.type)).toEqual([
      'run_reopened',
      'run_rewound',
      'phase_reset',
      'phase_reset',
      'phase_reset',
      'phase_reset',
      'phase_ready',
    ]);
    expect(h.log.find((e) => e.type === 'run_rewound')).toMatchObject({
      phaseId: 'implement',
      by: 'ana',
      reason: 'retry from the last checkpoint: flaky reviewer',
    });
    expect(h.status('implement')).toBe('ready');
    drive(h);
    expect(h.state.status).toBe('completed');
    const attempts = Object.fromEntries(h.state.order.map((id) => [id, h.state.phases[id]!.attempt]));
    expect(attempts).toEqual({
      brief: 1,
      spec: 1,
      plan: 1,
      tests: 1,
      implement: 2,
      security: 2,
      code: 2,
      verdict: 2,
    });
  });

  it('is refused, changing nothing, when the run did not fail', () => {
    const h = new Harness(feature);
    const before = h.log.length;
    const result = h.apply({ type: 'retry_run', by: 'ana' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(h.log).toHaveLength(before);
  });

  it('lifts a fail-fast cancellation as it reopens the run', () => {
    const h = new Harness(
      workflow(
        phase('g', { gate: true }),
        phase('a', { needs: ['g'], retry: once, onFailure: 'fail-fast' }),
        phase('slow', { needs: ['g'] }),
      ),
    );
    h.run('g');
    h.apply({ type: 'decide', phaseId: 'g', decision: { kind: 'approve' }, by: 'ana' });
    h.fail('a', { retryable: false });
    expect(h.status('slow')).toBe('cancelled');
    h.apply({ type: 'retry_run', by: 'ana' });
    expect([h.status('a'), h.status('slow'), h.status('g')]).toEqual(['ready', 'ready', 'completed']);
  });
});
