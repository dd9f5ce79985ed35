import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import rule from './no-elapsed-time-assertion.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});
const elapsed = [{ messageId: 'elapsed' }];

tester.run('no-elapsed-time-assertion', rule, {
  valid: [
    // A deadline for polling: the clock is read, but no expectation compares it.
    `const deadline = Date.now() + 5_000;
     while (!done()) { if (Date.now() > deadline) throw new Error('timed out'); }
     expect(done()).toBe(true);`,
    // The start of a fake clock, compared for equality.
    `const start = Date.now();
     const clock = fakeClock(start);
     clock.advance(100);
     expect(clock.now()).toBe(start + 100);`,
    // Comparisons that do not involve the clock.
    `const count = work(2 * n);
     expect(count).toBeLessThan(3 * work(n));`,
    `expect(result.attempts).toBeGreaterThanOrEqual(2);`,
    // A helper that reads the clock inside its body does not taint what it returns.
    `const waitFor = async () => { const deadline = Date.now() + 1000; return poll(deadline); };
     expect(await waitFor()).toBeGreaterThan(0);`,
    // An id made from the clock, checked for shape.
    `const id = \`run-\${Date.now()}\`;
     expect(id).toMatch(/^run-/);`,
    // A clock read inside a callback given to expect is not the asserted value.
    `expect(() => schedule(() => Date.now())).not.toThrow();`,
    // A property named like a clock method is not one.
    `const task = { now: 5 };
     expect(task.now).toBeLessThan(10);`,
  ],
  invalid: [
    {
      code: `const started = performance.now();
             run();
             expect(performance.now() - started).toBeLessThan(1_000);`,
      errors: elapsed,
    },
    { code: `expect(Date.now()).toBeGreaterThanOrEqual(lease.expiresAt);`, errors: elapsed },
    {
      code: `const started = Date.now();
             await run();
             const took = Date.now() - started;
             expect(took).toBeLessThanOrEqual(3000);`,
      errors: elapsed,
    },
    {
      code: `let took;
             const t0 = process.hrtime.bigint();
             took = process.hrtime.bigint() - t0;
             expect(Number(took) / 1e6).not.toBeGreaterThan(50);`,
      errors: elapsed,
    },
    { code: `const [s] = process.hrtime(); expect(s).toBeLessThan(2);`, errors: elapsed },
    { code: `expect(3000).toBeGreaterThan(globalThis.performance.now() - started);`, errors: elapsed },
    {
      code: `const started = performance.now();
             expect(performance.now() - started < 100).toBe(true);`,
      errors: elapsed,
    },
    {
      code: `const before = new Date().getTime();
             expect({ ms: Date.now() - before }.ms).toBeLessThan(100);`,
      errors: elapsed,
    },
    {
      code: `const started = Date.now();
             expect(Date.now() - started <= limit).toBeTruthy();`,
      errors: elapsed,
    },
    { code: `expect.soft(process.uptime()).toBeLessThan(10);`, errors: elapsed },
  ],
});
