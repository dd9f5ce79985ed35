import type { PhaseDefinition, PhaseTask, WorkflowDefinition } from '@baton/engine';

/** Overrides of {@link makePhaseTask}: task fields, plus `phase` fields merged into the default phase. */
export type PhaseTaskOverrides = Partial<Omit<PhaseTask, 'phase' | 'workflow'>> & {
  readonly phase?: Partial<PhaseDefinition>;
  readonly workflow?: Partial<WorkflowDefinition>;
};

/**
 * A task for tests: attempt 1 of a `tool` phase `build` (no timeout) in run `run-1`, with nothing
 * upstream; `overrides` replace any part.
 */
export function makePhaseTask(overrides: PhaseTaskOverrides = {}): PhaseTask {
  const phase: PhaseDefinition = {
    id: overrides.phaseId ?? 'build',
    kind: 'tool',
    needs: [],
    run: 'true',
    gate: false,
    retry: { maxAttempts: 1, backoffMs: 1000, maxBackoffMs: 60_000, maxRecoveries: 3 },
    timeoutMs: null,
    onFailure: 'fail-fast',
    ...overrides.phase,
  };
  const workflow: WorkflowDefinition = { id: 'test', version: 1, phases: [phase], ...overrides.workflow };
  return {
    runId: 'run-1',
    attempt: 1,
    fixtures: {},
    runInputs: {},
    upstream: [],
    earlier: [],
    ...overrides,
    phaseId: phase.id,
    phase,
    workflow,
  };
}
