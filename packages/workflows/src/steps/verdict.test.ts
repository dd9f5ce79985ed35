import { validateJson, type BuiltinContext, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from './index.js';
import { decideVerdict, VERDICT_FAILED, verdictStep } from './verdict.js';

const context: BuiltinContext = {
  runId: 'run-1',
  phaseId: 'verdict',
  attempt: 1,
  runInputs: {},
  needs: ['security-review', 'code-review'],
  signal: new AbortController().signal,
  readBlob: () => Promise.resolve(undefined),
};

const securityPass: JsonValue = {
  verdict: 'PASS',
  summary: 'Every control passes.',
  checklist: [
    { id: 'SEC-01', control: 'ASVS V2.4.1', status: 'pass', evidence: 'scrypt in src/auth/password.ts' },
    { id: 'SEC-18', control: 'ASVS V9.1.1', status: 'not_applicable', evidence: 'TLS ends at the proxy' },
  ],
  findings: [{ severity: 'medium', file: 'src/routes/auth.ts', control: 'ASVS V2.2.1', message: 'lockout' }],
};
const codePass: JsonValue = {
  verdict: 'PASS',
  summary: 'Meets every criterion.',
  findings: [{ severity: 'low', file: 'src/routes/todos.ts', message: 'no pagination' }],
};
const securityFail: JsonValue = {
  verdict: 'FAIL',
  summary: 'SQL is built from user input.',
  checklist: [
    {
      id: 'SEC-09',
      control: 'ASVS V5.3.4',
      status: 'fail',
      evidence: 'src/routes/todos.ts concatenates the title',
    },
    { id: 'SEC-01', control: 'ASVS V2.4.1', status: 'pass', evidence: 'scrypt' },
  ],
  findings: [
    { severity: 'critical', file: 'src/routes/todos.ts', control: 'ASVS V5.3.4', message: 'SQL injection' },
    { severity: 'low', file: 'README.md', message: 'typo' },
  ],
};

function failure(result: ReturnType<typeof decideVerdict>): {
  code: string;
  message: string;
  retryable?: boolean;
} {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.output)}`);
  return result;
}

describe('the verdict step', () => {
  it('passes when both reviews say PASS, with each review summarised in its output', async () => {
    const result = await verdictStep.run(
      { 'security-review': securityPass, 'code-review': codePass },
      context,
    );
    expect(result).toEqual({
      ok: true,
      output: {
        verdict: 'PASS',
        summary: 'Every review passes (security-review, code-review).',
        reviews: [
          { phase: 'security-review', verdict: 'PASS', summary: 'Every control passes.', findings: 1 },
          { phase: 'code-review', verdict: 'PASS', summary: 'Meets every criterion.', findings: 1 },
        ],
      },
    });
    if (result.ok) expect(validateJson(verdictStep.output!, result.output)).toEqual([]);
  });

  it('fails with VERDICT_FAILED, not retryable, when the security review says FAIL', () => {
    const result = failure(decideVerdict({ 'security-review': securityFail, 'code-review': codePass }));
    expect(result.code).toBe(VERDICT_FAILED);
    expect(result.retryable).toBe(false);
    expect(result.message.split('\n')).toEqual([
      'The verdict is FAIL: security-review did not pass.',
      'security-review: FAIL. SQL is built from user input.',
      '  Failing checklist items:',
      '  - SEC-09 ASVS V5.3.4: src/routes/todos.ts concatenates the title',
      '  Blocking findings:',
      '  - [critical] src/routes/todos.ts ASVS V5.3.4: SQL injection',
      'code-review: PASS. Meets every criterion.',
      'Retry the run to start again from its last checkpoint once the cause is fixed.',
    ]);
  });

  it('names every review that failed when both fail, and leaves out findings that do not block', () => {
    const codeFail: JsonValue = {
      verdict: 'FAIL',
      summary: 'AC-9 is not met.',
      findings: [
        { severity: 'high', file: 'src/routes/todos.ts', message: 'PATCH ignores done' },
        { severity: 'medium', file: 'src/app.ts', message: 'long function' },
      ],
    };
    const { message } = failure(decideVerdict({ 'security-review': securityFail, 'code-review': codeFail }));
    expect(message).toContain('The verdict is FAIL: security-review and code-review did not pass.');
    expect(message).toContain('code-review: FAIL. AC-9 is not met.');
    expect(message).toContain('  - [high] src/routes/todos.ts: PATCH ignores done');
    expect(message).not.toContain('long function');
    expect(message).not.toContain('typo');
  });

  it('does not count a PASS that lists a failing checklist item or a blocking finding', () => {
    const contradicting: JsonValue = {
      verdict: 'PASS',
      summary: 'Looks fine.',
      checklist: [{ id: 'SEC-05', control: 'ASVS V3.4.2', status: 'fail', evidence: 'no HttpOnly' }],
      findings: [{ severity: 'high', message: 'cookie readable by scripts' }],
    };
    const { message } = failure(decideVerdict({ 'security-review': contradicting, 'code-review': codePass }));
    expect(message).toContain(
      'security-review: says PASS, but lists 1 failing checklist item and 1 blocking finding, so it does not pass. Looks fine.',
    );
    expect(message).toContain('  - SEC-05 ASVS V3.4.2: no HttpOnly');
    expect(message).toContain('  - [high] cookie readable by scripts');
  });

  it('treats a "blocking" severity as blocking, for reviews that use that scale', () => {
    const review = {
      verdict: 'PASS',
      summary: 'ok',
      findings: [{ severity: 'blocking', message: 'broken' }],
    };
    expect(decideVerdict({ review }).ok).toBe(false);
  });

  it('gives the same result for the same reviews (a pure function)', () => {
    const inputs = { 'security-review': securityFail, 'code-review': codePass };
    expect(decideVerdict(inputs)).toEqual(decideVerdict(structuredClone(inputs)));
  });

  it('accepts reviews in its input schema and refuses anything else', () => {
    const input = verdictStep.input!;
    expect(validateJson(input, { 'security-review': securityPass, 'code-review': codePass })).toEqual([]);
    const refused: JsonValue[] = [
      { review: 'PASS' },
      { review: { verdict: 'pass', summary: 'lower case' } },
      { review: { verdict: 'PASS' } },
      { review: { verdict: 'PASS', summary: 's', checklist: [{ id: 'SEC-01', status: 'ok' }] } },
      { review: { verdict: 'PASS', summary: 's', findings: [{ message: 'no severity' }] } },
    ];
    for (const value of refused) expect(validateJson(input, value), JSON.stringify(value)).not.toEqual([]);
  });

  it('fails when a review it needs did not run (skipped), naming it, and when none ran', async () => {
    const skipped = await verdictStep.run({ 'code-review': codePass }, context);
    expect(skipped).toMatchObject({ ok: false, code: VERDICT_FAILED, retryable: false });
    if (skipped.ok) throw new Error('passed');
    expect(skipped.message.split('\n')[0]).toBe(
      'The verdict is FAIL: security-review did not run (skipped); the verdict passes only when every review ran and passed.',
    );
    expect(skipped.message).toContain('code-review: PASS.');
    const none = await verdictStep.run({}, { ...context, needs: [] });
    expect(none).toMatchObject({ ok: false, code: VERDICT_FAILED });
    if (none.ok) throw new Error('passed');
    expect(none.message).toContain('no review ran');
  });

  it('is registered among the built-in steps under its name', () => {
    expect(builtinSteps.verdict).toBe(verdictStep);
  });
});
