/**
 * `baton retry RUN` (no phase): a failed run retried from its last checkpoint, and the run's stage
 * in `baton show`, `baton runs` and the `--json` snapshot.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** `spec` (gate) → `implement` → `verdict`, which fails its first attempt and passes after. */
const STAGED = `
id: staged
stages:
  - { stage: spec_ready, phases: { spec: waiting_for_human } }
  - { stage: implementing, phases: { implement: [ready, running] } }
  - { stage: done, run: completed }
  - { stage: failed, run: [failed, cancelled] }
phases:
  - { id: spec, kind: tool, gate: true, run: echo spec }
  - { id: implement, kind: tool, needs: [spec], run: echo code }
  - id: verdict
    kind: tool
    needs: [implement]
    retry: { maxAttempts: 1 }
    run: |
      if [ "$BATON_ATTEMPT" -lt 2 ]; then echo "the security review failed" >&2; exit 1; fi
      echo PASS
`;

describe('baton retry RUN', () => {
  it(
    'retries a failed run from its last checkpoint: the phases after the gate at attempt 2, the gate kept; the stage shown throughout',
    async () => {
      const file = path.join(home.dir, 'staged.yaml');
      await writeFile(file, STAGED);
      const failed = await baton(['run', file, '--auto', '--json'], home.dir);
      expect(failed.code, failed.stderr).toBe(1);
      const run = snapshot(failed);
      expect(run).toMatchObject({ status: 'failed', stage: 'failed' });
      const told = await baton(['show', run.id], home.dir);
      expect(told.stdout.split('\n')[0]).toMatch(new RegExp(`^run ${run.id} failed: .* · stage failed$`));
      expect(told.stdout).toContain(
        `or retry the run from its last checkpoint ("implement" and what follows run again):\n    baton retry ${run.id}\n`,
      );

      const listed = await baton(['runs'], home.dir);
      expect(listed.stdout).toMatch(/STATUS +STAGE +CREATED/);
      expect(listed.stdout).toMatch(new RegExp(`${run.id}\\s+staged\\s+failed\\s+failed\\s`));

      const retried = await baton(['retry', run.id, '--auto', '--json', '--reason', 'flaky'], home.dir);
      expect(retried.code, retried.stderr).toBe(0);
      const done = snapshot(retried);
      expect(done).toMatchObject({ status: 'completed', stage: 'done' });
      expect(done.phases.map((phase) => [phase.id, phase.attempts])).toEqual([
        ['spec', 1],
        ['implement', 2],
        ['verdict', 2],
      ]);
      expect(phaseOf(done, 'spec').versions).toEqual([{ version: 1, attempt: 1 }]);

      const shown = await baton(['show', run.id], home.dir);
      expect(shown.stdout.split('\n')[0]).toMatch(new RegExp(`^run ${run.id} completed in .* · stage done$`));

      // A run that did not fail is refused, saying what to do instead; one phase still retries by name.
      const again = await baton(['retry', run.id], home.dir);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`run ${run.id} completed, so there is nothing to retry`);
      const one = await baton(['retry', run.id, 'verdict'], home.dir);
      expect(one.code).toBe(2);
      expect(one.stderr).toContain('verdict');
    },
    8 * PER_COMMAND_MS,
  );
});
