/**
 * The `ui-variants` context goes back to the person while the baseline check refuses it, offline.
 * A run started without a context waits at `context`; a submitted context that fits the phase's
 * schema but not the full UI check (an `onclick` prop, a `javascript:` link, a slot that is no
 * node) is sent back by `baseline` (its reviewer): the run waits at `context` again, and
 * `baton show` lists every finding with its path. The corrected context is approved by the check
 * as V0 — the run then waits at the context's gate with V0's preview — and approving it there
 * starts the variants.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_ENV } from './builtin-harness.js';
import { eventsOf } from './blueprint-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';
import { bundledContext, contextFile, unsafeContext } from './ui-variants-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** The paths the baseline check names in the unsafe context. */
const FINDING_PATHS = [
  'baseline.root.children[0].onclick',
  'baseline.root.children[4].href',
  'variants.variant-a.slot',
];

describe('the ui-variants context check', () => {
  it(
    'sends an unsafe context back to the person with its findings; the corrected one is V0, approved at the gate, and the variants start',
    async () => {
      // Previews go to $TMPDIR: keep them in the test's home.
      const env = { ...OFFLINE_ENV, TMPDIR: home.dir };
      const started = await baton(['run', 'ui-variants', '--json'], home.dir, env);
      expect(started.code, started.stderr).toBe(3);
      const id = snapshot(started).id;
      expect(snapshot(started)).toMatchObject({ status: 'waiting', stage: 'context_needed' });

      const unsafe = await contextFile(home.dir, 'unsafe.json', await unsafeContext());
      const sentBack = await baton(['submit', id, 'context', '--file', unsafe, '--json'], home.dir, env);
      expect(sentBack.code, sentBack.stderr).toBe(3);
      const back = snapshot(sentBack);
      expect(back).toMatchObject({ status: 'waiting', stage: 'context_needed' });
      const context = phaseOf(back, 'context');
      expect(context).toMatchObject({
        status: 'waiting_for_human',
        attempts: 2,
        waiting: { source: 'human' },
      });
      const feedback = context.waiting?.feedback ?? '';
      expect(feedback).toMatch(/^Review by "baseline" \(round 1\): revise\./);
      for (const at of FINDING_PATHS) expect(feedback).toContain(`- [blocking] ${at}: `);
      expect(phaseOf(back, 'baseline')).toMatchObject({ status: 'blocked', output: null });
      for (const phase of ['variant-a', 'variant-b'])
        expect(phaseOf(back, phase).status, phase).toBe('blocked');

      // `baton show` prints what the next submission must answer.
      const shown = await baton(['show', id], home.dir, env);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('Review by "baseline" (round 1): revise.');
      for (const at of FINDING_PATHS) expect(shown.stdout).toContain(`[blocking] ${at}:`);

      const fixed = await contextFile(home.dir, 'fixed.json', await bundledContext());
      const checked = await baton(['submit', id, 'context', '--file', fixed, '--json'], home.dir, env);
      expect(checked.code, checked.stderr).toBe(3);
      const atGate = snapshot(checked);
      expect(atGate).toMatchObject({ status: 'waiting', stage: 'baseline_ready' });
      expect(phaseOf(atGate, 'context')).toMatchObject({
        status: 'waiting_for_human',
        attempts: 2,
        waiting: { source: 'gate', recommendation: { by: 'baseline', verdict: 'approve' } },
      });
      expect(phaseOf(atGate, 'baseline')).toMatchObject({
        status: 'completed',
        attempts: 2,
        output: { verdict: 'approve', kind: 'ui-parent-version', versionId: 'V0', parentVersionId: null },
      });
      const gateShown = await baton(['show', id], home.dir, env);
      const preview = /preview: (\S+baseline\.v2\.html)/.exec(gateShown.stdout)?.[1];
      expect(preview, gateShown.stdout).toBeDefined();
      expect(path.dirname(preview!)).toBe(path.join(home.dir, 'baton-previews', id));
      expect(await readFile(preview!, 'utf8')).toContain('Start a free trial');

      const approved = await baton(['approve', id, 'context', '--json'], home.dir, env);
      expect(approved.code, approved.stderr).toBe(3);
      const snap = snapshot(approved);
      expect(snap).toMatchObject({ status: 'waiting', stage: 'variants_ready' });
      for (const phase of ['review-a', 'review-b'])
        expect(phaseOf(snap, phase).status, phase).toBe('waiting_for_human');

      const events = await eventsOf(home.dir, id);
      expect(
        events.flatMap((event) =>
          event.type === 'review_verdict' && event.phaseId === 'baseline'
            ? [[event.attempt, event.verdict, event.round]]
            : [],
        ),
      ).toEqual([
        [1, 'revise', 1],
        [2, 'approve', 1],
      ]);
    },
    8 * PER_COMMAND_MS,
  );
});
