import { describe, expect, it } from 'vitest';
import { step, type RunInput, type RunState } from '@baton/engine';
import {
  createInMemoryRunStore,
  testJsonPayload,
  testPayload,
  testPhase,
  testWorkflow,
} from '@baton/engine/testing';
import { buildSnapshot, decisionFeedback, type RunReader } from './build-snapshot.js';

const output = { mediaType: 'text/plain', text: 'draft', size: 5, sha256: '0'.repeat(64) };

/** A run whose gated phase `spec` produced an output and waits for a person. */
class GatedRun {
  state: RunState;
  now = 1_000;

  constructor() {
    const workflow = testWorkflow('wf', testPhase('spec', { gate: true }));
    this.state = this.apply({ type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 't' });
    this.produce();
  }

  apply(input: RunInput): RunState {
    const result = step(input.type === 'create' ? undefined : this.state, input, this.now++);
    if (!result.ok) throw new Error(result.error.message);
    return (this.state = result.state);
  }

  produce(): void {
    const attempt = this.state.phases.spec!.attempt;
    this.apply({ type: 'claim', phaseId: 'spec', attempt });
    this.apply({ type: 'succeed', phaseId: 'spec', attempt, output });
  }

  decide(decision: Extract<RunInput, { type: 'decide' }>['decision']): void {
    this.apply({ type: 'decide', phaseId: 'spec', decision, by: 'ana' });
  }
}

describe('decisionFeedback', () => {
  it("is a change request's feedback, while the phase runs again and after", () => {
    const run = new GatedRun();
    run.decide({ kind: 'request_changes', feedback: 'add a header row' });
    expect(decisionFeedback(run.state.phases.spec!)).toBe('add a header row');
    run.produce();
    expect(run.state.phases.spec!.status).toBe('waiting_for_human');
    expect(decisionFeedback(run.state.phases.spec!)).toBe('add a header row');
  });

  it('is the latest change request when there were several', () => {
    const run = new GatedRun();
    run.decide({ kind: 'request_changes', feedback: 'first' });
    run.produce();
    run.decide({ kind: 'request_changes', feedback: 'second' });
    expect(decisionFeedback(run.state.phases.spec!)).toBe('second');
  });

  it('is absent when the latest decision was not a change request', () => {
    const run = new GatedRun();
    run.decide({ kind: 'request_changes', feedback: 'first' });
    run.produce();
    run.decide({ kind: 'approve' });
    expect(decisionFeedback(run.state.phases.spec!)).toBeUndefined();
  });
});

describe('buildSnapshot', () => {
  it("reads every phase's output in one read of the store, decoded and in the run's order", async () => {
    const store = createInMemoryRunStore();
    const workflow = testWorkflow(
      'chain',
      testPhase('a'),
      testPhase('b', { needs: ['a'] }),
      testPhase('c', { needs: ['b'] }),
    );
    const created = await store.createRun(
      { type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 'ana' },
      1_000,
    );
    expect(created.ok).toBe(true);
    const outputs = { a: testPayload('alpha\n'), b: testJsonPayload({ n: 2 }), c: testPayload('gamma') };
    for (const [now, phaseId] of [
      [1_001, 'a'],
      [1_002, 'b'],
      [1_003, 'c'],
    ] as const) {
      const [task] = await store.claim({ runId: 'r', limit: 1, now });
      expect(task?.phaseId).toBe(phaseId);
      await store.apply('r', { type: 'succeed', phaseId, attempt: 1, output: outputs[phaseId] }, now, {
        leaseToken: task!.lease.token,
      });
    }
    const reads = { getArtifact: 0, getArtifacts: 0 };
    const reader: RunReader = {
      getRun: (runId) => store.getRun(runId),
      listEvents: (runId, options) => store.listEvents(runId, options),
      modelUsage: (runId) => store.modelUsage(runId),
      getArtifact: (...args) => {
        reads.getArtifact++;
        return store.getArtifact(...args);
      },
      getArtifacts: (...args) => {
        reads.getArtifacts++;
        return store.getArtifacts(...args);
      },
    };

    const snapshot = await buildSnapshot(reader, (await store.getRun('r'))!);

    expect(snapshot.status).toBe('completed');
    expect(snapshot.phases.map((phase) => [phase.id, phase.output])).toEqual([
      ['a', 'alpha\n'],
      ['b', { n: 2 }],
      ['c', 'gamma'],
    ]);
    expect(reads).toEqual({ getArtifact: 0, getArtifacts: 1 });
  });
});

describe('the wait of a human phase asked again', () => {
  it("carries the reviewer's findings on the last submission, and nothing before it was sent back", async () => {
    const store = createInMemoryRunStore();
    const workflow = testWorkflow(
      'reviewed-human',
      testPhase('context', { kind: 'human', run: undefined, timeoutMs: null, gate: true }),
      testPhase('check', {
        needs: ['context'],
        reviews: 'context',
        review: { rounds: 20, reReview: true, onRoundsExhausted: 'human', advisory: false },
      }),
    );
    await store.createRun(
      { type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 'ana' },
      1_000,
    );
    const waitOf = async () =>
      (await buildSnapshot(store, (await store.getRun('r'))!)).phases.find((p) => p.id === 'context')
        ?.waiting;
    expect(await waitOf()).toEqual({ reason: expect.any(String), source: 'human' });

    const submit = { type: 'decide', phaseId: 'context', by: 'ana' } as const;
    await store.apply(
      'r',
      { ...submit, decision: { kind: 'submit', output: testJsonPayload({ slot: 'x' }) } },
      1_001,
    );
    const [task] = await store.claim({ runId: 'r', limit: 1, now: 1_002 });
    const verdict = { verdict: 'revise', findings: [{ severity: 'blocking', message: 'slot: no node "x"' }] };
    await store.apply(
      'r',
      { type: 'succeed', phaseId: 'check', attempt: 1, output: testJsonPayload(verdict) },
      1_003,
      { leaseToken: task!.lease.token },
    );

    expect(await waitOf()).toEqual({
      reason: expect.any(String),
      source: 'human',
      feedback: 'Review by "check" (round 1): revise.\n- [blocking] slot: no node "x"',
    });
  });
});
