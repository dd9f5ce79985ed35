import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../definition/validate-workflow.js';
import type { OnReject, PhaseDefinition } from '../types.js';
import { Harness, json, phase, workflow } from './step-harness.test-support.js';

const reject = (h: Harness, phaseId: string, reason?: string) =>
  h.apply({
    type: 'decide',
    phaseId,
    decision: { kind: 'reject' },
    by: 'ana',
    ...(reason === undefined ? {} : { reason }),
  });

/** A gated tool phase with the given `onReject` (left out for the default). */
const gated = (id: string, onReject?: OnReject, extra: Partial<PhaseDefinition> = {}) =>
  phase(id, { gate: true, ...(onReject === undefined ? {} : { onReject }), ...extra });

/** A human phase with the given `onReject`. */
const human = (id: string, onReject?: OnReject, extra: Partial<PhaseDefinition> = {}) =>
  phase(id, {
    kind: 'human',
    run: undefined,
    prompt: `Decide ${id}`,
    timeoutMs: null,
    ...(onReject === undefined ? {} : { onReject }),
    ...extra,
  });

describe('onReject', () => {
  it('leaves a rejected gate rejected by default: its dependent stays blocked and the run fails', () => {
    const h = new Harness(workflow(gated('variant'), phase('merge', { needs: ['variant'] })));
    h.run('variant');
    expect(h.status('variant')).toBe('waiting_for_human');
    expect(reject(h, 'variant').ok).toBe(true);
    expect(h.status('variant')).toBe('rejected');
    expect(h.status('merge')).toBe('blocked');
    expect(h.state.status).toBe('failed');
    expect(h.types().slice(-2)).toEqual(['human_decision', 'run_failed']);
  });

  it('skips a gate rejected with onReject: skip, recording the reject first, and its dependent runs without it', () => {
    const h = new Harness(workflow(gated('variant', 'skip'), phase('merge', { needs: ['variant'] })));
    h.run('variant');
    const result = reject(h, 'variant', 'too busy');
    expect(result.ok).toBe(true);
    const [decision, skipped, ready] = h.log.slice(-3);
    expect(decision).toMatchObject({
      type: 'human_decision',
      phaseId: 'variant',
      decision: 'reject',
      by: 'ana',
    });
    expect(skipped).toMatchObject({
      type: 'phase_skipped',
      phaseId: 'variant',
      reason: 'rejected by ana: too busy (onReject: skip)',
    });
    expect(ready).toMatchObject({ type: 'phase_ready', phaseId: 'merge', attempt: 1 });
    const variant = h.state.phases['variant']!;
    expect(variant.status).toBe('skipped');
    // What a person reads: the phase was rejected, by whom and why, and then skipped.
    expect(variant.lastDecision).toMatchObject({ decision: 'reject', by: 'ana', reason: 'too busy' });
    expect(variant.note).toBe('rejected by ana: too busy (onReject: skip)');
    // A skipped need gives no output, exactly as any skipped phase.
    expect(variant.output).toBeUndefined();
    expect(result.ok && result.commands).toContainEqual(
      expect.objectContaining({ type: 'enqueue', phaseId: 'merge', attempt: 1 }),
    );
    h.run('merge');
    expect(h.state.status).toBe('completed');
  });

  it('leaves a rejected human phase rejected by default', () => {
    const h = new Harness(workflow(human('pick'), phase('merge', { needs: ['pick'] })));
    expect(h.status('pick')).toBe('waiting_for_human');
    reject(h, 'pick');
    expect(h.status('pick')).toBe('rejected');
    expect(h.status('merge')).toBe('blocked');
    expect(h.state.status).toBe('failed');
  });

  it('skips a human phase rejected with onReject: skip, and the run completes', () => {
    const h = new Harness(workflow(human('pick', 'skip'), phase('merge', { needs: ['pick'] })));
    reject(h, 'pick');
    expect(h.types().slice(-3)).toEqual(['human_decision', 'phase_skipped', 'phase_ready']);
    expect(h.status('pick')).toBe('skipped');
    expect(h.status('merge')).toBe('ready');
    h.run('merge');
    expect(h.state.status).toBe('completed');
  });

  it('starts a join only once both of its rejected-and-skipped parents are decided, and the run completes', () => {
    const h = new Harness(
      workflow(
        gated('a', 'skip'),
        human('b', 'skip'),
        phase('merge', { needs: ['a', 'b'] }),
        phase('after', { needs: ['merge'] }),
      ),
    );
    h.run('a');
    reject(h, 'a');
    expect(h.status('a')).toBe('skipped');
    expect(h.status('merge')).toBe('blocked');
    expect(h.state.status).toBe('waiting');
    reject(h, 'b');
    expect(h.status('b')).toBe('skipped');
    expect(h.status('merge')).toBe('ready');
    h.run('merge');
    h.run('after');
    expect(h.state.status).toBe('completed');
    expect(h.types().at(-1)).toBe('run_completed');
  });

  it('joins an approved parent and a rejected-and-skipped one', () => {
    const h = new Harness(
      workflow(gated('a', 'skip'), gated('b', 'skip'), phase('merge', { needs: ['a', 'b'] })),
    );
    h.run('a');
    h.run('b');
    h.apply({ type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ana' });
    expect(h.status('merge')).toBe('blocked');
    reject(h, 'b');
    expect(h.status('a')).toBe('completed');
    expect(h.status('b')).toBe('skipped');
    expect(h.status('merge')).toBe('ready');
  });

  it('skips an agent phase whose interrupt a person rejects, with onReject: skip', () => {
    const h = new Harness(
      workflow(
        phase('ask', { kind: 'agent', run: undefined, agent: 'scripted', onReject: 'skip' }),
        phase('next', { needs: ['ask'] }),
      ),
    );
    h.suspend('ask', 'interrupt', 'which colour?');
    reject(h, 'ask');
    expect(h.status('ask')).toBe('skipped');
    expect(h.status('next')).toBe('ready');
  });

  it('runs a rejected-and-skipped phase again on rewind, and its dependent after it; a retry is refused as for any skipped phase', () => {
    const h = new Harness(workflow(gated('variant', 'skip'), phase('merge', { needs: ['variant'] })));
    h.run('variant');
    reject(h, 'variant');
    h.run('merge');
    expect(h.state.status).toBe('completed');

    const retry = h.apply({ type: 'retry', phaseId: 'variant', by: 'ana' });
    expect(retry.ok).toBe(false);
    if (!retry.ok) expect(retry.error.message).toContain('only a failed, rejected or cancelled phase');

    expect(h.apply({ type: 'rewind', phaseId: 'variant', by: 'ana' }).ok).toBe(true);
    expect(h.status('variant')).toBe('ready');
    expect(h.state.phases['variant']!.attempt).toBe(2);
    expect(h.status('merge')).toBe('blocked');
    h.run('variant');
    h.apply({ type: 'decide', phaseId: 'variant', decision: { kind: 'approve' }, by: 'ana' });
    expect(h.status('variant')).toBe('completed');
    h.run('merge');
    expect(h.state.status).toBe('completed');
  });

  it("skips a map's element rejected at its gate, and the map collects once its other elements are done", () => {
    const defined = validateWorkflow({
      id: 'variants',
      phases: [
        { id: 'plan', kind: 'tool', run: 'plan' },
        {
          id: 'each',
          kind: 'map',
          over: 'plan',
          phase: { kind: 'tool', run: 'draw', gate: true, onReject: 'skip' },
        },
        { id: 'merge', kind: 'tool', run: 'merge', needs: ['each'] },
      ],
    });
    if (!defined.ok) throw new Error(defined.problems.map((p) => p.message).join('\n'));
    const h = new Harness(defined.workflow);
    h.run('plan', json(['red', 'blue']));
    h.run('each', json(['red', 'blue']));
    h.run('each[0]');
    h.run('each[1]');
    reject(h, 'each[0]');
    expect(h.status('each[0]')).toBe('skipped');
    expect(h.status('each')).toBe('blocked');
    h.apply({ type: 'decide', phaseId: 'each[1]', decision: { kind: 'approve' }, by: 'ana' });
    // Every element is done (one completed, one skipped): the map's next attempt collects.
    expect(h.status('each')).toBe('ready');
    h.run('each', json([null, 'blue']));
    h.run('merge');
    expect(h.state.status).toBe('completed');
  });

  it('applies no onReject to a change request or an approval', () => {
    const h = new Harness(workflow(gated('variant', 'skip'), phase('merge', { needs: ['variant'] })));
    h.run('variant');
    h.apply({
      type: 'decide',
      phaseId: 'variant',
      decision: { kind: 'request_changes', feedback: 'bolder' },
      by: 'ana',
    });
    expect(h.status('variant')).toBe('ready');
    h.run('variant');
    h.apply({ type: 'decide', phaseId: 'variant', decision: { kind: 'approve' }, by: 'ana' });
    expect(h.status('variant')).toBe('completed');
    expect(h.types()).not.toContain('phase_skipped');
  });
});
