/**
 * A person's decisions in the `ui-variants` workflow, offline. `--submit context=FILE` answers the
 * context up front; the run stops at the context's gate, where the person approves V0 (checked by
 * the baseline step, which recommends it), and only then do the variants run, up to their
 * reviews. An invalid context file — one that breaks the phase's schema, or one the baseline check
 * would send back — is refused before any run exists, naming what is wrong. At the reviews, approving
 * variant A and rejecting variant B merges A only into V1, linked to V0 (a rejected variant is
 * left out, `onReject: skip`, not fatal); rejecting both fails the run saying no variant was
 * approved.
 */
import { applyPatch, PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_ENV } from './builtin-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';
import { bundledContext, contextFile, expectStepOutput, unsafeContext } from './ui-variants-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/**
 * Starts the built-in with the bundled context submitted up front: it stops at the context's gate
 * (V0 checked, the baseline step recommending it); approving it runs the variants up to the two
 * reviews.
 */
async function runToReviews(): Promise<string> {
  const file = await contextFile(home.dir, 'context.json', await bundledContext());
  const run = await baton(
    ['run', 'ui-variants', '--submit', `context=${file}`, '--json'],
    home.dir,
    OFFLINE_ENV,
  );
  expect(run.code, run.stderr).toBe(3); // waiting for a person
  const atGate = snapshot(run);
  expect(atGate).toMatchObject({ status: 'waiting', stage: 'baseline_ready' });
  expect(phaseOf(atGate, 'context')).toMatchObject({
    status: 'waiting_for_human',
    decision: { decision: 'submit', reason: 'submitted with --submit' },
    waiting: { source: 'gate', recommendation: { by: 'baseline', verdict: 'approve', findings: [] } },
  });
  expect(phaseOf(atGate, 'baseline')).toMatchObject({
    status: 'completed',
    output: { verdict: 'approve', versionId: 'V0' },
  });
  for (const id of ['variant-a', 'variant-b']) expect(phaseOf(atGate, id).status, id).toBe('blocked');

  const approved = await baton(['approve', atGate.id, 'context', '--json'], home.dir, OFFLINE_ENV);
  expect(approved.code, approved.stderr).toBe(3);
  const snap = snapshot(approved);
  expect(snap).toMatchObject({ status: 'waiting', stage: 'variants_ready' });
  expect(phaseOf(snap, 'context')).toMatchObject({ status: 'completed', decision: { decision: 'approve' } });
  for (const id of ['review-a', 'review-b']) expect(phaseOf(snap, id).status, id).toBe('waiting_for_human');
  expect(phaseOf(snap, 'merge').status).toBe('blocked');
  return snap.id;
}

describe('a person deciding in ui-variants', () => {
  it(
    'answers the context up front with --submit and approves V0 at its gate; approving A and rejecting B merges A only into V1, linked to V0',
    async () => {
      const id = await runToReviews();
      const approved = await baton(['approve', id, 'review-a', '--json'], home.dir, OFFLINE_ENV);
      expect(approved.code, approved.stderr).toBe(3); // B still waits
      const rejected = await baton(
        ['reject', id, 'review-b', '--reason', 'the label is too long', '--json'],
        home.dir,
        OFFLINE_ENV,
      );
      expect(rejected.code, rejected.stderr).toBe(0);
      const snap = snapshot(rejected);
      expect(snap).toMatchObject({ status: 'completed', stage: 'done' });
      expect(phaseOf(snap, 'review-b')).toMatchObject({
        status: 'skipped',
        decision: { decision: 'reject', reason: 'the label is too long' },
      });
      const v1 = phaseOf(snap, 'merge').output as Record<string, unknown>;
      expectStepOutput('merge-ui-variants', v1, 'V1');
      const onlyA = applyPatch(PRICING_CARD_EXAMPLE, phaseOf(snap, 'variant-a').output);
      expect(onlyA.ok).toBe(true);
      expect(v1).toMatchObject({
        versionId: 'V1',
        parentVersionId: (phaseOf(snap, 'baseline').output as { versionId: string }).versionId,
        uiSchema: onlyA.ok ? onlyA.document : null,
        approved: [{ variantId: 'variant-a', patch: phaseOf(snap, 'variant-a').output }],
        excluded: ['variant-b'],
      });
    },
    5 * PER_COMMAND_MS,
  );

  it(
    'fails the run when both variants are rejected, saying no variant was approved',
    async () => {
      const id = await runToReviews();
      const first = await baton(['reject', id, 'review-a', '--json'], home.dir, OFFLINE_ENV);
      expect(first.code, first.stderr).toBe(3);
      const second = await baton(['reject', id, 'review-b', '--json'], home.dir, OFFLINE_ENV);
      expect(second.code, second.stderr).toBe(1);
      const snap = snapshot(second);
      expect(snap).toMatchObject({ status: 'failed', stage: 'failed' });
      for (const phase of ['review-a', 'review-b'])
        expect(phaseOf(snap, phase).status, phase).toBe('skipped');
      expect(phaseOf(snap, 'merge')).toMatchObject({
        status: 'failed',
        error: { code: 'NO_APPROVED_VARIANT' },
      });
      expect(phaseOf(snap, 'merge').error?.message).toContain(
        'no approved variant to merge into V1: review-a and review-b were rejected or skipped',
      );
      expect(snap.reason).toContain('merge');
    },
    5 * PER_COMMAND_MS,
  );

  it(
    'refuses an invalid context file before any run exists, naming what is wrong',
    async () => {
      const context = await bundledContext();
      const { goals: _goals, ...noGoals } = context;
      const bad = { ...noGoals, rubric: [{ id: 'clarity', criterion: 'Reads at a glance', weight: 0 }] };
      const file = await contextFile(home.dir, 'bad-context.json', bad);
      const run = await baton(
        ['run', 'ui-variants', '--auto', '--submit', `context=${file}`],
        home.dir,
        OFFLINE_ENV,
      );
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toContain(
        `--submit context=${file}: the file is not a valid answer of phase context:`,
      );
      expect(run.stderr).toMatch(/goals.*is required/);
      expect(run.stderr).toMatch(/rubric\[0\]\.weight/);

      // Fits the schema, but the baseline check would send it back: refused up front with its findings.
      const unsafeFile = await contextFile(home.dir, 'unsafe-context.json', await unsafeContext());
      const refused = await baton(
        ['run', 'ui-variants', '--auto', '--submit', `context=${unsafeFile}`],
        home.dir,
        OFFLINE_ENV,
      );
      expect(refused.code, refused.stdout).toBe(2);
      expect(refused.stderr).toContain(
        `--submit context=${unsafeFile}: "baseline" would send this answer of phase context back:`,
      );
      for (const path of [
        'baseline.root.children[0].onclick',
        'baseline.root.children[4].href',
        'variants.variant-a.slot',
      ])
        expect(refused.stderr).toContain(`  ${path}: `);
      expect(refused.stderr).toContain('nothing was stored');

      const notHuman = await baton(
        ['run', 'ui-variants', '--submit', `baseline=${file}`],
        home.dir,
        OFFLINE_ENV,
      );
      expect(notHuman.code).toBe(2);
      expect(notHuman.stderr).toContain('"baseline" is not a human phase; its human phases: context');

      const runs = await baton(['runs', '--json'], home.dir, OFFLINE_ENV);
      expect(runs.code, runs.stderr).toBe(0);
      expect(runs.stdout).not.toContain('ui-variants-');
    },
    4 * PER_COMMAND_MS,
  );
});
