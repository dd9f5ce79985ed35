/**
 * The `ui-variants` patch check sends an invalid patch back with the errors: offline, on a copy
 * whose variant A designer answers a patch that does not apply on its first attempt only
 * (`ui-variants-fixtures/patch-invalid-once.yaml`). The check asks to revise with the problem at
 * the op's path, the designer's second attempt gets it as feedback, the check then approves, and
 * only that patch reaches the evaluation, the review and V1.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_ENV } from './builtin-harness.js';
import { eventsOf } from './blueprint-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';
import { uiVariantsCopy } from './ui-variants-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('the ui-variants patch check', () => {
  it(
    'sends an invalid patch back with the errors, then accepts the fixed one and reviews only it',
    async () => {
      const file = await uiVariantsCopy(path.join(home.dir, 'invalid-once'), ['patch-invalid-once.yaml']);
      const run = await baton(['run', file, '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(run.code, run.stderr).toBe(0);
      const snap = snapshot(run);
      expect(snap).toMatchObject({ status: 'completed', stage: 'done' });
      expect(phaseOf(snap, 'variant-a')).toMatchObject({
        status: 'completed',
        attempts: 2,
        versions: [
          { version: 1, attempt: 1 },
          { version: 2, attempt: 2 },
        ],
      });
      expect(phaseOf(snap, 'check-a')).toMatchObject({ status: 'completed', attempts: 2 });
      expect(phaseOf(snap, 'check-a').output).toMatchObject({ verdict: 'approve', findings: [] });
      for (const id of ['context', 'baseline', 'evaluate-a', 'review-a', 'variant-b', 'check-b', 'merge'])
        expect(phaseOf(snap, id).attempts, id).toBe(1);
      const fixed = phaseOf(snap, 'variant-a').output;
      expect(phaseOf(snap, 'review-a').output).toMatchObject({ patch: fixed });
      expect(phaseOf(snap, 'merge').output).toMatchObject({
        approved: [{ variantId: 'variant-a', patch: fixed }, { variantId: 'variant-b' }],
      });

      const events = await eventsOf(home.dir, snap.id);
      expect(
        events.flatMap((event) =>
          event.type === 'review_verdict' && event.phaseId === 'check-a'
            ? [[event.attempt, event.verdict, event.round]]
            : [],
        ),
      ).toEqual([
        [1, 'revise', 1],
        [2, 'approve', 1],
      ]);
      const resent = events.flatMap((event) =>
        event.type === 'phase_ready' && event.phaseId === 'variant-a' && event.attempt === 2 ? [event] : [],
      );
      expect(resent).toHaveLength(1);
      expect(resent[0]!.feedback).toContain('Review by "check-a" (round 1): revise.');
      expect(resent[0]!.feedback).toContain('- [blocking] ops[0].prop: a prop "set" can change: one of');
    },
    3 * PER_COMMAND_MS,
  );
});
