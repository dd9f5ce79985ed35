/**
 * `kind: builtin` phases end to end through real `baton` processes on the embedded store: a step
 * judges the outputs of the phases it needs (`all-pass`, defined in `test-steps.ts` and composed
 * in by `baton-with-test-steps.js`), and a step the process does not have is refused when the
 * workflow is loaded.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinSteps } from '@baton/workflows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, phaseOf, snapshot, tempHome } from './cli-harness.js';
import { testSteps } from './test-steps.js';

const WITH_TEST_STEPS = fileURLToPath(new URL('./baton-with-test-steps.js', import.meta.url));

/** The steps a process knows, as its refusals list them (sorted by name). */
const listed = (steps: object) => Object.keys(steps).sort().join(', ');

const JUDGED = `id: judged
phases:
  - id: security
    kind: tool
    run: |
      printf '{"verdict":"%s"}' "\${REVIEW_SECURITY:-PASS}"
  - id: code
    kind: tool
    run: |
      printf '{"verdict":"PASS"}'
  - { id: verdict, kind: builtin, run: all-pass, needs: [security, code], retry: { maxAttempts: 1 } }
`;

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

async function workflowFile(text: string): Promise<string> {
  const file = path.join(home.dir, 'judged.yaml');
  await writeFile(file, text);
  return file;
}

describe('builtin phases through the CLI', () => {
  it("runs a builtin step on the needed phases' outputs and stores its output", async () => {
    const file = await workflowFile(JUDGED);
    const result = await baton(['run', file, '--auto', '--json'], home.dir, {}, WITH_TEST_STEPS);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.status).toBe('completed');
    expect(phaseOf(snap, 'verdict')).toMatchObject({
      status: 'completed',
      attempts: 1,
      output: { verdict: 'PASS', reviews: ['code', 'security'] },
    });
  });

  it("fails the run with the step's code and explanation when a review failed, without a retry", async () => {
    const file = await workflowFile(JUDGED);
    const result = await baton(
      ['run', file, '--auto', '--json'],
      home.dir,
      { REVIEW_SECURITY: 'FAIL' },
      WITH_TEST_STEPS,
    );
    expect(result.code, result.stderr).toBe(1);
    const snap = snapshot(result);
    expect(snap.status).toBe('failed');
    expect(phaseOf(snap, 'verdict')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'REVIEW_FAILED', message: 'not every review passed: security failed' },
    });
  });

  it('refuses a workflow naming a step the process does not have, listing the steps it has', async () => {
    const typo = await workflowFile(JUDGED.replace('run: all-pass', 'run: all-passs'));
    const validated = await baton(['validate', typo], home.dir, {}, WITH_TEST_STEPS);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain(
      `phases[2].run: unknown builtin step "all-passs" (known steps: ${listed({ ...builtinSteps, ...testSteps })}; did you mean "all-pass"?)`,
    );
    // `baton` itself runs only the installation's steps (`@baton/workflows`): the test's is unknown
    // to it, so the run is refused before anything is stored.
    const plain = await baton(['run', await workflowFile(JUDGED), '--auto'], home.dir);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain(
      `phases[2].run: unknown builtin step "all-pass" (known steps: ${listed(builtinSteps)})`,
    );
    const runs = await baton(['runs', '--json'], home.dir);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
