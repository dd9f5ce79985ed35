/**
 * A failed branch of the `blueprint` workflow's fan-out does not block the others: offline, on a
 * copy whose data branch fails every attempt (`blueprint-fixtures/data-fails.yaml`), the design
 * and logic branches run on and complete, the merge waits (blocked, not cancelled), and the run
 * fails once nothing else can run, naming data. A person then skips the data branch: the run reopens, the
 * merge marks data as skipped, and the run completes.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_ENV } from './builtin-harness.js';
import { blueprintCopy } from './blueprint-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('a failed blueprint branch', () => {
  it(
    'does not block design and logic; skipped by a person, the run merges without it and completes',
    async () => {
      const file = await blueprintCopy(path.join(home.dir, 'data-fails'), ['data-fails.yaml']);
      const run = await baton(['run', file, '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(run.code, run.stderr).toBe(1);
      const failed = snapshot(run);
      expect(failed).toMatchObject({ status: 'failed', stage: 'failed' });
      expect(phaseOf(failed, 'data')).toMatchObject({ status: 'failed', attempts: 3 });
      expect(phaseOf(failed, 'data').error?.message).toContain('model overloaded');
      // Design and logic ran to the end; what needs data waits, blocked — not cancelled, as a
      // fail-fast branch would have left it — so a person can still retry or skip data.
      for (const id of ['prd', 'design', 'logic']) expect(phaseOf(failed, id).status, id).toBe('completed');
      for (const id of ['architecture', 'api', 'validate-api', 'frontend', 'deployment'])
        expect(phaseOf(failed, id).status, id).toBe('blocked');
      expect(failed.reason).toContain('data');

      const skipped = await baton(['skip', failed.id, 'data', '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(skipped.code, skipped.stderr).toBe(0);
      const done = snapshot(skipped);
      expect(done).toMatchObject({ status: 'completed', stage: 'done' });
      expect(phaseOf(done, 'data').status).toBe('skipped');
      for (const id of ['architecture', 'api', 'validate-api', 'frontend', 'deployment'])
        expect(phaseOf(done, id), id).toMatchObject({ status: 'completed', attempts: 1 });
      expect(phaseOf(done, 'architecture').output).toMatchObject({
        skipped: ['data'],
        branches: {
          data: { status: 'skipped' },
          design: { status: 'completed', kind: 'file-tree' },
          logic: { status: 'completed', kind: 'markdown' },
        },
        summary: expect.stringContaining('data was skipped'),
      });
    },
    2 * PER_COMMAND_MS,
  );
});
