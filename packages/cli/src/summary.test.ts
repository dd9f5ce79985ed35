import { describe, expect, it } from 'vitest';
import { step, type RunInput, type RunState } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { summarize } from './summary.js';

/** A run of independent phases `ids`, where each phase in `failing` failed for good. */
function failedRun(ids: readonly string[], failing: readonly string[]): RunState {
  const apply = (state: RunState | undefined, input: RunInput): RunState => {
    const result = step(state, input, 1_000);
    if (!result.ok) throw new Error(result.error.message);
    return result.state;
  };
  const workflow = testWorkflow('wf', ...ids.map((id) => testPhase(id)));
  let state = apply(undefined, {
    type: 'create',
    runId: 'run-1',
    workflow,
    fixtures: {},
    inputs: {},
    by: 't',
  });
  for (const phaseId of ids) {
    state = apply(state, { type: 'claim', phaseId, attempt: 1 });
    state = failing.includes(phaseId)
      ? apply(state, {
          type: 'fail',
          phaseId,
          attempt: 1,
          error: { code: 'EXIT_CODE', message: 'exited with code 1' },
          retryable: false,
        })
      : apply(state, {
          type: 'succeed',
          phaseId,
          attempt: 1,
          output: { mediaType: 'text/plain', text: 'ok', size: 2, sha256: '0'.repeat(64) },
        });
  }
  return state;
}

describe('summarize a failed run', () => {
  it('names the run and the failed phase in the retry and skip commands', () => {
    const state = failedRun(['setup', 'flaky'], ['flaky']);
    expect(state.status).toBe('failed');
    const text = summarize(state);
    expect(text).toContain('"flaky" failed:');
    expect(text).toContain('baton retry run-1 flaky ');
    expect(text).toContain('baton skip run-1 flaky ');
    expect(text).not.toContain('PHASE');
    expect(text).not.toContain('setup');
  });

  it('gives the commands for each failed phase, the first three, and counts the rest', () => {
    const text = summarize(failedRun(['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e']));
    for (const id of ['a', 'b', 'c']) expect(text).toContain(`baton retry run-1 ${id} `);
    expect(text).not.toContain('baton retry run-1 d');
    expect(text).toContain('… and 2 more (`baton show run-1` lists them)');
  });
});
