import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhaseStatus, RunStatus, type StageDefinition, type WorkflowDefinition } from '../types.js';
import { runStage, type StagedRun } from './stage.js';
import { Harness, phase, workflow } from './step-harness.test-support.js';

const PHASE_STATUSES = Object.values(PhaseStatus);
const RUN_STATUSES = Object.values(RunStatus);
const IDS = ['a', 'b', 'c', 'd'];

/** A stage entry naming some of the phases and/or some run statuses. */
const entry = (label: string): fc.Arbitrary<StageDefinition> =>
  fc
    .record(
      {
        phases: fc.dictionary(
          fc.constantFrom(...IDS),
          fc.uniqueArray(fc.constantFrom(...PHASE_STATUSES), { minLength: 1 }),
          { minKeys: 1 },
        ),
        run: fc.uniqueArray(fc.constantFrom(...RUN_STATUSES), { minLength: 1 }),
      },
      { requiredKeys: [] },
    )
    .filter((e) => e.phases !== undefined || e.run !== undefined)
    .map((e) => ({ stage: label, ...e }));

/** A run of a workflow with phases a–d and up to 8 stages, each phase and the run in any status. */
const stagedRun: fc.Arbitrary<StagedRun> = fc
  .tuple(
    fc
      .integer({ min: 0, max: 8 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => entry(`s${i}`)))),
    fc.tuple(...IDS.map(() => fc.constantFrom(...PHASE_STATUSES))),
    fc.constantFrom(...RUN_STATUSES),
  )
  .map(([stages, statuses, status]) => ({
    workflow: { ...workflow(...IDS.map((id) => phase(id))), stages },
    status,
    phases: Object.fromEntries(IDS.map((id, i) => [id, { status: statuses[i]! }])) as StagedRun['phases'],
  }));

/** The rule, written out plainly: the run's status fits, and some named phase's status fits. */
function holds(e: StageDefinition, run: StagedRun): boolean {
  const runFits = e.run === undefined || e.run.includes(run.status);
  const phaseFits =
    e.phases === undefined ||
    Object.entries(e.phases).some(([id, statuses]) => statuses.includes(run.phases[id]!.status));
  return runFits && phaseFits;
}

describe('runStage', () => {
  it('is null or a label the workflow declares: the last entry that holds', () => {
    fc.assert(
      fc.property(stagedRun, (run) => {
        const stage = runStage(run);
        const stages = run.workflow.stages ?? [];
        const holding = stages.filter((e) => holds(e, run));
        expect(stage).toBe(holding.at(-1)?.stage ?? null);
        if (stage !== null) expect(stages.map((e) => e.stage)).toContain(stage);
      }),
    );
  });

  it('is the label of an entry that holds added last, whatever came before', () => {
    fc.assert(
      fc.property(stagedRun, (run) => {
        const last: StageDefinition = { stage: 'last', run: [run.status] };
        const stages = [...(run.workflow.stages ?? []), last];
        expect(runStage({ ...run, workflow: { ...run.workflow, stages } })).toBe('last');
      }),
    );
  });

  it('is null for a workflow without stages', () => {
    const run = new Harness(workflow(phase('a'))).state;
    expect(runStage(run)).toBeNull();
    expect('stage' in run).toBe(false);
  });
});

describe('the run state keeps the stage', () => {
  const staged: WorkflowDefinition = {
    ...workflow(
      phase('spec', { gate: true }),
      phase('plan', {
        needs: ['spec'],
        retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
      }),
    ),
    stages: [
      { stage: 'spec_generating', phases: { spec: ['ready', 'running'] } },
      { stage: 'spec_ready', phases: { spec: ['waiting_for_human'] } },
      { stage: 'planning', phases: { plan: ['ready', 'running'] } },
      { stage: 'done', run: ['completed'] },
      { stage: 'failed', run: ['failed'] },
    ],
  };

  it('follows the run through its stages, equal to runStage and to the fold of the log after every step', () => {
    const h = new Harness(staged);
    const seen: (string | undefined)[] = [h.state.stage];
    const note = () => {
      expect(h.state.stage ?? null).toBe(runStage(h.state));
      if (seen.at(-1) !== h.state.stage) seen.push(h.state.stage);
    };
    h.apply({ type: 'claim', phaseId: 'spec', attempt: 1 });
    note();
    h.apply({
      type: 'succeed',
      phaseId: 'spec',
      attempt: 1,
      output: { mediaType: 'text/plain', text: 's', size: 1, sha256: '0'.repeat(64) },
    });
    note();
    h.apply({ type: 'decide', phaseId: 'spec', decision: { kind: 'approve' }, by: 'ana' });
    note();
    h.run('plan');
    note();
    expect(seen).toEqual(['spec_generating', 'spec_ready', 'planning', 'done']);
  });

  it('is cleared when no entry holds any more, and set again when one does', () => {
    const h = new Harness(staged);
    h.run('spec');
    h.apply({ type: 'decide', phaseId: 'spec', decision: { kind: 'approve' }, by: 'ana' });
    h.fail('plan', { retryable: false });
    expect(h.state.status).toBe('failed');
    expect(h.state.stage).toBe('failed');
    // Retrying reopens the run: plan is ready again, so the run is planning.
    h.apply({ type: 'retry', phaseId: 'plan', by: 'ana' });
    expect(h.state.stage).toBe('planning');
    h.apply({ type: 'pause', by: 'ana' });
    expect(h.state.stage).toBe('planning');
    h.apply({ type: 'cancel', by: 'ana' });
    // Cancelled: no entry names it.
    expect('stage' in h.state).toBe(false);
  });
});
