/**
 * `baton fork`: a new run of a run's workflow that takes over its results up to `--from`, with
 * optionally changed inputs, and leaves the source run untouched.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, EXAMPLES, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const file = path.join(EXAMPLES, 'revise-brief.yaml');

describe('baton fork', () => {
  it('takes over what is upstream of --from, runs the rest with changed inputs, and leaves the source alone', async () => {
    const first = await baton(['run', file, '--input', 'brief=CSV export', '--json'], home.dir);
    expect(first.code, first.stderr).toBe(3);
    const sourceId = snapshot(first).id;
    const sourceLog = (await baton(['show', sourceId, '--json', '--events'], home.dir)).stdout;

    const forked = await baton(
      ['fork', sourceId, '--from', 'spec', '--input', 'brief=JSON export', '--json'],
      home.dir,
    );
    expect(forked.code, forked.stderr).toBe(3);
    const fork = snapshot(forked);
    expect(fork.id).not.toBe(sourceId);
    expect(fork.forkedFrom).toEqual({ runId: sourceId, from: 'spec' });
    expect(phaseOf(fork, 'research')).toMatchObject({
      status: 'completed',
      attempts: 0,
      output: 'research notes (run once)\n',
      copiedFrom: { runId: sourceId, version: 1 },
    });
    expect(phaseOf(fork, 'spec')).toMatchObject({ attempts: 1, output: 'spec for: JSON export\n' });
    expect(phaseOf(fork, 'spec').copiedFrom).toBeUndefined();
    expect(phaseOf(fork, 'signoff')).toMatchObject({ status: 'waiting_for_human' });

    // The source is as it was, still waiting at its gate.
    expect((await baton(['show', sourceId, '--json', '--events'], home.dir)).stdout).toBe(sourceLog);

    const shown = await baton(['show', fork.id], home.dir);
    expect(shown.stdout).toContain(`forked from run ${sourceId} at "spec"`);
    expect(shown.stdout).toContain(`taken over from run ${sourceId} (version 1)`);
  });

  it('without --from takes over every finished phase and completes at once when nothing is left', async () => {
    const first = await baton(['run', file, '--input', 'brief=CSV', '--auto', '--json'], home.dir);
    expect(first.code, first.stderr).toBe(0);
    const forked = await baton(['fork', snapshot(first).id, '--json'], home.dir);
    expect(forked.code, forked.stderr).toBe(0);
    const fork = snapshot(forked);
    expect(fork.status).toBe('completed');
    expect(fork.phases.every((p) => p.copiedFrom !== undefined && p.attempts === 0)).toBe(true);
  });

  it('refuses an unknown run or phase with exit 2, creating nothing', async () => {
    const first = await baton(['run', file, '--input', 'brief=CSV', '--json'], home.dir);
    const sourceId = snapshot(first).id;
    const unknownRun = await baton(['fork', 'nope-123'], home.dir);
    expect(unknownRun.code).toBe(2);
    expect(unknownRun.stderr).toMatch(/no run "nope-123"/);
    const unknownPhase = await baton(['fork', sourceId, '--from', 'specs'], home.dir);
    expect(unknownPhase.code).toBe(2);
    expect(unknownPhase.stderr).toMatch(/no phase "specs" \(did you mean "spec"\?\)/);
    const runs = JSON.parse((await baton(['runs', '--json'], home.dir)).stdout) as unknown[];
    expect(runs).toHaveLength(1);
  });
});
