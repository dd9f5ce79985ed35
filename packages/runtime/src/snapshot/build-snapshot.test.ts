import { describe, expect, it } from 'vitest';
import { step, type RunInput, type RunState } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { decisionFeedback } from './build-snapshot.js';

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
