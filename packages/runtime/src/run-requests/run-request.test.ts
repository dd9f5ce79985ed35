import { describe, expect, it } from 'vitest';
import { isBatonError, step, type JsonSchema, type RunState } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { runRequestInput } from './run-request.js';
import { checkChangedInputs } from './run-inputs-check.js';

const inputs: JsonSchema = {
  type: 'object',
  required: ['brief'],
  properties: { brief: { type: 'string' }, count: { type: 'integer' } },
};

function run(): RunState {
  const workflow = {
    ...testWorkflow('wf', testPhase('spec', { output: { type: 'object' } }), testPhase('notes')),
    inputs,
  };
  const created = step(
    undefined,
    { type: 'create', runId: 'r', workflow, fixtures: {}, inputs: { brief: 'a' }, by: 't' },
    1,
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.state;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

describe('runRequestInput', () => {
  it('turns an object given as an edit into a JSON output', () => {
    const input = runRequestInput(run(), { kind: 'edit', phaseId: 'notes', content: { a: 1 } }, 'ana');
    expect(input).toMatchObject({
      type: 'decide',
      phaseId: 'notes',
      by: 'ana',
      decision: { kind: 'edit', output: { mediaType: 'application/json', text: '{\n  "a": 1\n}' } },
    });
  });

  it('reads a string as JSON for a phase with an output schema, and as text for one without', () => {
    const json = runRequestInput(run(), { kind: 'submit', phaseId: 'spec', content: '"x"' }, 'ana');
    expect(json).toMatchObject({ decision: { output: { mediaType: 'application/json', text: '"x"' } } });
    const text = runRequestInput(run(), { kind: 'submit', phaseId: 'notes', content: '"x"' }, 'ana');
    expect(text).toMatchObject({ decision: { output: { mediaType: 'text/plain', text: '"x"' } } });
  });

  it('refuses a change request without feedback', () => {
    const error = thrown(() =>
      runRequestInput(run(), { kind: 'request_changes', phaseId: 'spec', feedback: '  ' }, 'ana'),
    );
    expect(isBatonError(error, 'BAD_REQUEST')).toBe(true);
  });

  it('records only the rewind inputs that changed, coerced to the schema', () => {
    const input = runRequestInput(
      run(),
      { kind: 'rewind', phaseId: 'spec', inputs: { count: '3' }, reason: 'more' },
      'ana',
    );
    expect(input).toEqual({
      type: 'rewind',
      phaseId: 'spec',
      by: 'ana',
      reason: 'more',
      inputs: { count: 3 },
    });
  });

  it('refuses rewind inputs off the schema with a problem naming the field', () => {
    const error = thrown(() =>
      runRequestInput(run(), { kind: 'rewind', phaseId: 'spec', inputs: { count: 'many' } }, 'ana'),
    );
    expect(isBatonError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as { problems: unknown }).problems).toEqual([
      expect.objectContaining({ path: 'inputs.count' }),
    ]);
  });

  it('raises a budget only when given a limit', () => {
    expect(runRequestInput(run(), { kind: 'budget', tokens: 10 }, 'ana')).toEqual({
      type: 'raise_budget',
      budget: { tokens: 10 },
      by: 'ana',
    });
    const error = thrown(() => runRequestInput(run(), { kind: 'budget', phaseId: 'spec' }, 'ana'));
    expect(isBatonError(error, 'BAD_REQUEST')).toBe(true);
  });
});

describe('checkChangedInputs', () => {
  it('checks the merged inputs and returns the changed ones', () => {
    expect(checkChangedInputs(inputs, { brief: 'a' }, { count: '2' })).toEqual({
      ok: true,
      value: { count: 2 },
    });
    expect(checkChangedInputs(inputs, { brief: 'a' }, { brief: { x: 1 } })).toMatchObject({
      ok: false,
      problems: [{ path: 'inputs.brief' }],
    });
  });
});
