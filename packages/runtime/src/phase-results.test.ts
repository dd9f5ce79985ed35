import { PhaseFailureCode, WarningCode } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import { abortedResult, phaseFailure } from './phase-results.js';

describe('phase results', () => {
  it('phaseFailure is a failed result with its code, message and retryable flag', () => {
    expect(phaseFailure(PhaseFailureCode.exitCode, 'exited with code 1', true)).toEqual({
      ok: false,
      error: { code: 'EXIT_CODE', message: 'exited with code 1' },
      retryable: true,
    });
  });

  it('phaseFailure takes a documented code only: a typo does not compile', () => {
    // @ts-expect-error 'EXIT_COD' is not a PhaseFailureCode.
    expect(phaseFailure('EXIT_COD', 'boom', true)).toMatchObject({ error: { code: 'EXIT_COD' } });
  });

  it('an attempt warns with a documented code only: a typo does not compile', async () => {
    const context = recordingAttemptContext();
    await context.warn(WarningCode.budgetWarning, '80% of the run’s budget used');
    // @ts-expect-error 'BUDGET_WARN' is not a WarningCode.
    await context.warn('BUDGET_WARN', 'typo');
    expect(context.warnings.map((w) => w.code)).toEqual(['BUDGET_WARNING', 'BUDGET_WARN']);
  });

  it('an aborted attempt fails with ABORTED, not retryable, carrying the abort reason', () => {
    const controller = new AbortController();
    controller.abort('run cancelled');
    expect(abortedResult(controller.signal)).toEqual({
      ok: false,
      error: { code: 'ABORTED', message: 'aborted: run cancelled' },
      retryable: false,
    });
  });
});
