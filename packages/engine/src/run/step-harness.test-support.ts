/**
 * Test support for scheduler tests: a harness that drives a run through inputs and checks, after
 * every step, that the log folds to the state the step reported.
 */
import { expect } from 'vitest';
import type { PhaseFailureCode } from '../phase-codes.js';
import type { OutputPayload, PhaseDefinition, RunInput, RunState, WorkflowDefinition } from '../types.js';
import { foldEvents } from './apply-event.js';
import { step } from './step.js';
import { testJsonPayload, testPayload, testPhase, testWorkflow } from '../testing/workflow-fixtures.js';
import type { RunEvent } from '../types.js';

/** Every step of a test run throws at a phase move the transition table does not allow. */
const STRICT = { strictTransitions: true } as const;

/** A tool phase that retries up to 3 times with a 1 s backoff unless `extra` says otherwise. */
export function phase(id: string, extra: Partial<PhaseDefinition> = {}): PhaseDefinition {
  return testPhase(id, {
    run: 'true',
    retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 60_000, maxRecoveries: 3 },
    ...extra,
  });
}

export function workflow(...phases: PhaseDefinition[]): WorkflowDefinition {
  return testWorkflow('test', ...phases);
}

export const text = (value: string): OutputPayload => testPayload(value);
export const json = (value: unknown): OutputPayload => testJsonPayload(value);

/** Drives a run through inputs, checking after each step that the log folds to the reported state. */
export class Harness {
  state: RunState;
  log: RunEvent[] = [];
  now = 1_000;

  constructor(
    wf: WorkflowDefinition,
    inputs: RunState['inputs'] = {},
    fork?: Extract<RunInput, { type: 'create' }>['fork'],
  ) {
    const result = step(
      undefined,
      {
        type: 'create',
        runId: fork === undefined ? 'r1' : 'r2',
        workflow: wf,
        fixtures: {},
        inputs,
        by: 'test',
        ...(fork === undefined ? {} : { fork }),
      },
      this.now,
      STRICT,
    );
    if (!result.ok) throw new Error(result.error.message);
    this.state = result.state;
    this.log.push(...result.events);
  }

  apply(input: RunInput) {
    const result = step(this.state, input, this.now, STRICT);
    if (result.ok) {
      this.state = result.state;
      this.log.push(...result.events);
      expect(foldEvents(undefined, this.log)).toEqual(this.state);
    }
    return result;
  }

  /** Claims and completes a phase's current attempt with an output. */
  run(phaseId: string, output: OutputPayload = text(`${phaseId}-out`)) {
    const attempt = this.state.phases[phaseId]!.attempt;
    const claim = this.apply({ type: 'claim', phaseId, attempt });
    expect(claim.ok && claim.ignored).toBe(undefined);
    return this.apply({ type: 'succeed', phaseId, attempt, output });
  }

  /** Claims a phase's current attempt and fails it. */
  fail(phaseId: string, options: { retryable?: boolean; code?: PhaseFailureCode; message?: string } = {}) {
    const attempt = this.state.phases[phaseId]!.attempt;
    this.apply({ type: 'claim', phaseId, attempt });
    return this.apply({
      type: 'fail',
      phaseId,
      attempt,
      error: { code: options.code ?? 'EXIT_CODE', message: options.message ?? 'x' },
      retryable: options.retryable ?? true,
    });
  }

  /** Claims a phase's current attempt and suspends it (an agent's interrupt, a budget). */
  suspend(phaseId: string, source: 'budget' | 'interrupt', reason: string, pauseRun?: boolean) {
    const attempt = this.state.phases[phaseId]!.attempt;
    this.apply({ type: 'claim', phaseId, attempt });
    return this.apply({
      type: 'suspend',
      phaseId,
      attempt,
      source,
      reason,
      ...(pauseRun === undefined ? {} : { pauseRun }),
    });
  }

  status(id: string) {
    return this.state.phases[id]!.status;
  }

  types() {
    return this.log.map((e) => e.type);
  }
}
