import type { BuiltinContext, BuiltinInputs, BuiltinStep, BuiltinSteps, PhaseResult } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import { makePhaseTask, type PhaseTaskOverrides } from '../testing/phase-task.js';
import { createBuiltinHandler } from './builtin-handler.js';

/** Passes when every needed review passed: a small verdict, as a workflow's last phase would use. */
const both: BuiltinStep = {
  name: 'both-pass',
  description: 'passes when both reviews pass',
  input: {
    type: 'object',
    required: ['security', 'code'],
    properties: {
      security: { type: 'object', required: ['verdict'] },
      code: { type: 'object', required: ['verdict'] },
    },
  },
  output: { type: 'object', required: ['verdict'] },
  run(inputs) {
    const verdicts = [inputs.security, inputs.code].map((review) => (review as { verdict: string }).verdict);
    return verdicts.every((verdict) => verdict === 'PASS')
      ? { ok: true, output: { verdict: 'PASS' } }
      : { ok: false, code: 'REVIEW_FAILED', message: `a review failed: ${verdicts.join(', ')}` };
  },
};

const reviews = (security: string, code: string): NonNullable<PhaseTaskOverrides['upstream']> => [
  { phaseId: 'security', mediaType: 'application/json', content: JSON.stringify({ verdict: security }) },
  { phaseId: 'code', mediaType: 'application/json', content: JSON.stringify({ verdict: code }) },
];

async function runStep(
  steps: BuiltinSteps,
  overrides: PhaseTaskOverrides = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<PhaseResult> {
  const task = makePhaseTask({
    phaseId: 'verdict',
    ...overrides,
    phase: { kind: 'builtin', run: 'both-pass', needs: ['security', 'code'], ...overrides.phase },
  });
  return createBuiltinHandler(steps).execute(task, signal, recordingAttemptContext());
}

describe('createBuiltinHandler', () => {
  it("runs the phase's step on the needed outputs and stores its output as JSON", async () => {
    const result = await runStep({ 'both-pass': both }, { upstream: reviews('PASS', 'PASS') });
    expect(result).toMatchObject({ ok: true, output: { mediaType: 'application/json' } });
    expect(result.ok && JSON.parse(result.output.text)).toEqual({ verdict: 'PASS' });
  });

  it("fails with the step's own code and message, not retried unless the step says so", async () => {
    expect(await runStep({ 'both-pass': both }, { upstream: reviews('PASS', 'FAIL') })).toEqual({
      ok: false,
      error: { code: 'REVIEW_FAILED', message: 'a review failed: PASS, FAIL' },
      retryable: false,
    });
    const flaky: BuiltinStep = {
      name: 'flaky',
      description: 'asks for another attempt',
      run: () => ({ ok: false, code: 'TIMEOUT', message: 'try again', retryable: true }),
    };
    expect(await runStep({ flaky }, { phase: { run: 'flaky' } })).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT' },
      retryable: true,
    });
  });

  it('gives the step each input decoded (JSON parsed, text as a string, a file tree as its manifest; skipped absent) and its context', async () => {
    const seen: { inputs?: BuiltinInputs; context?: BuiltinContext } = {};
    const probe: BuiltinStep = {
      name: 'probe',
      description: 'records what it receives',
      async run(inputs, context) {
        seen.inputs = inputs;
        seen.context = context;
        return { ok: true, output: { blob: (await context.readBlob('abc')) ?? null } };
      },
    };
    const attemptContext = recordingAttemptContext();
    attemptContext.blobs.set('abc', 'file content');
    const task = makePhaseTask({
      phaseId: 'probe',
      attempt: 2,
      runInputs: { brief: 'a to-do app' },
      phase: { kind: 'builtin', run: 'probe', needs: ['spec', 'notes', 'tree', 'skipped'] },
      upstream: [
        { phaseId: 'spec', mediaType: 'application/json', content: '{"title":"To-do"}' },
        { phaseId: 'notes', mediaType: 'text/plain', content: '# Notes\n' },
        {
          phaseId: 'tree',
          mediaType: 'application/vnd.baton.file-tree+json',
          content: '{"files":[{"path":"a.ts","sha256":"abc","size":12}],"summary":"one file"}',
        },
      ],
    });
    const result = await createBuiltinHandler({ probe }).execute(
      task,
      new AbortController().signal,
      attemptContext,
    );
    expect(result.ok && JSON.parse(result.output.text)).toEqual({ blob: 'file content' });
    expect(seen.inputs).toEqual({
      spec: { title: 'To-do' },
      notes: '# Notes\n',
      tree: { files: [{ path: 'a.ts', sha256: 'abc', size: 12 }], summary: 'one file' },
    });
    expect(seen.context).toMatchObject({
      runId: 'run-1',
      phaseId: 'probe',
      attempt: 2,
      runInputs: { brief: 'a to-do app' },
    });
  });

  it("checks the step's input schema before it runs and its output schema after", async () => {
    let ran = false;
    const counting: BuiltinStep = {
      ...both,
      run(inputs, context) {
        ran = true;
        return both.run(inputs, context);
      },
    };
    const missing = await runStep(
      { 'both-pass': counting },
      { upstream: reviews('PASS', 'PASS').slice(0, 1) },
    );
    expect(missing).toMatchObject({ ok: false, error: { code: 'INPUT_SCHEMA' }, retryable: false });
    expect(!missing.ok && 'error' in missing && missing.error.message).toMatch(
      /^the inputs of "verdict" do not match the input schema of builtin step "both-pass": .*code/,
    );
    expect(ran).toBe(false);

    const wrongOutput: BuiltinStep = {
      ...both,
      run: () => ({ ok: true, output: { verdict: 1 } }),
      output: { type: 'object', properties: { verdict: { type: 'string' } } },
    };
    expect(await runStep({ 'both-pass': wrongOutput }, { upstream: reviews('PASS', 'PASS') })).toMatchObject({
      ok: false,
      error: {
        code: 'OUTPUT_SCHEMA',
        message: expect.stringMatching(
          /^the output of builtin step "both-pass" does not match its output schema/,
        ),
      },
      retryable: false,
    });
  });

  it('fails a step that throws as BUILTIN_FAILED, retryable per the phase policy', async () => {
    const broken: BuiltinStep = {
      name: 'broken',
      description: 'throws',
      run() {
        throw new Error('cannot read the verdicts');
      },
    };
    expect(await runStep({ broken }, { phase: { run: 'broken' } })).toEqual({
      ok: false,
      error: { code: 'BUILTIN_FAILED', message: 'builtin step "broken" failed: cannot read the verdicts' },
      retryable: true,
    });
    const rejects: BuiltinStep = {
      name: 'rejects',
      description: 'rejects',
      run: () => Promise.reject(new Error('no')),
    };
    expect(await runStep({ rejects }, { phase: { run: 'rejects' } })).toMatchObject({
      error: { code: 'BUILTIN_FAILED', message: 'builtin step "rejects" failed: no' },
    });
    // What it threw is said in words even without a message, or when it is no error at all.
    const bare: BuiltinStep = {
      name: 'bare',
      description: 'bare',
      run: () => Promise.reject(new TypeError()),
    };
    expect(await runStep({ bare }, { phase: { run: 'bare' } })).toMatchObject({
      error: { message: 'builtin step "bare" failed: TypeError' },
    });
    const plain: BuiltinStep = {
      name: 'plain',
      description: 'plain',
      run() {
        // A step's bug may throw anything, not only errors.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { reason: 'x' };
      },
    };
    expect(await runStep({ plain }, { phase: { run: 'plain' } })).toMatchObject({
      error: { message: 'builtin step "plain" failed: {"reason":"x"}' },
    });
  });

  it('fails a step this process does not have as UNKNOWN_STEP, naming what it has', async () => {
    expect(await runStep({}, { phase: { run: 'verdict' } })).toEqual({
      ok: false,
      error: {
        code: 'UNKNOWN_STEP',
        message:
          'phase "verdict" runs builtin step "verdict", which is not available here: this process has no builtin steps configured (a program that composes the runtime passes them to createDefaultHandlers; baton run, baton worker and baton serve have Baton\'s own)',
      },
      retryable: false,
    });
    expect(await runStep({ 'both-pass': both }, { phase: { run: 'constructor' } })).toMatchObject({
      error: {
        code: 'UNKNOWN_STEP',
        message:
          'phase "verdict" runs builtin step "constructor", which is not available here: this process has "both-pass" — run the workers with a Baton that has "constructor" (the one that accepted the workflow), or start a new run of the workflow corrected to name a step it has',
      },
    });
  });

  it('ends the attempt when the signal fires, even while the step never returns', async () => {
    const hangs: BuiltinStep = {
      name: 'hangs',
      description: 'never returns',
      run: () => new Promise(() => {}),
    };
    const controller = new AbortController();
    const pending = runStep({ hangs }, { phase: { run: 'hangs' } }, controller.signal);
    controller.abort('run cancelled');
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'ABORTED', message: 'aborted: run cancelled' },
      retryable: false,
    });
  });

  it('refuses a registration whose key is not the step name (a wiring bug)', () => {
    expect(() => createBuiltinHandler({ verdict: both })).toThrow(
      'builtin step "both-pass" is registered as "verdict"',
    );
  });
});
