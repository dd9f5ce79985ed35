import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, EXAMPLES, phaseOf, REPO_ROOT, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('the bundled examples', () => {
  it('runs the diamond: both branches see the start, and the join receives both branches', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'diamond.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.status).toBe('completed');
    expect(snap.phases.map((p) => p.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(phaseOf(snap, 'join').output).toBe('left saw hello\nright saw hello\n');
  });

  it('runs the 50-wide fan-out: the fan-in received 50 inputs', async () => {
    const result = await baton(
      ['run', path.join(EXAMPLES, 'fan-out.yaml'), '--json', '--concurrency', '8'],
      home.dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.phases).toHaveLength(52);
    expect(snap.phases.every((p) => p.status === 'completed' && p.attempts === 1)).toBe(true);
    expect(phaseOf(snap, 'join').output).toEqual({ received: 50 });
  });

  it('runs the gated review: waits at the gate, runs a new attempt on a change request, records the approval', async () => {
    const file = path.join(EXAMPLES, 'gated-review.yaml');
    const first = await baton(['run', file, '--json'], home.dir);
    expect(first.code, first.stderr).toBe(3);
    const waiting = snapshot(first);
    expect(waiting.status).toBe('waiting');
    expect(phaseOf(waiting, 'spec')).toMatchObject({ status: 'waiting_for_human', attempts: 1 });
    expect(phaseOf(waiting, 'plan').status).toBe('blocked');

    const changed = await baton(
      ['request-changes', waiting.id, 'spec', '--feedback', 'add a header row', '--json'],
      home.dir,
    );
    expect(changed.code, changed.stderr).toBe(3);
    const revised = snapshot(changed);
    expect(phaseOf(revised, 'spec')).toMatchObject({ status: 'waiting_for_human', attempts: 2 });
    expect(phaseOf(revised, 'spec').output).toMatchObject({ title: 'Export invoices as CSV (revised)' });

    const approved = await baton(['approve', waiting.id, 'spec', '--reason', 'good now', '--json'], home.dir);
    expect(approved.code, approved.stderr).toBe(0);
    const done = snapshot(approved);
    expect(done.status).toBe('completed');
    expect(phaseOf(done, 'spec').decision).toMatchObject({
      decision: 'approve',
      by: 'tester',
      reason: 'good now',
    });
    expect(phaseOf(done, 'plan').output).toContain('(revised)');
  });

  it('runs the failing branch: the sibling completes, the dependent stays blocked, the run fails', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'failing-branch.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(1);
    const snap = snapshot(result);
    expect(snap.status).toBe('failed');
    expect(phaseOf(snap, 'sibling')).toMatchObject({ status: 'completed', output: 'sibling finished\n' });
    expect(phaseOf(snap, 'flaky')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(phaseOf(snap, 'report').status).toBe('blocked');
    expect(snap.reason).toContain('cannot reach the service');
  });

  it('runs the release-notes demo with --auto, approving the gate', async () => {
    const result = await baton(
      [
        'run',
        path.join(EXAMPLES, 'release-notes/workflow.yaml'),
        '--input',
        `repo=${REPO_ROOT}`,
        '--auto',
        '--json',
      ],
      home.dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(phaseOf(snap, 'draft').decision).toMatchObject({ decision: 'approve', by: 'tester' });
    expect(phaseOf(snap, 'publish').output).toContain('Baton 0.1');
  });
});
