/**
 * `baton run ui-variants --auto --json` from a fresh home with no provider key: the built-in runs
 * end to end offline. `--auto` submits the bundled context (a pricing card), which the baseline
 * check approves as V0 and `--auto` approves at the context's gate; both variants' patches pass their check, are evaluated and approved at their gates, and merge
 * into V1, linked to V0. Every artifact fits its step's schema and holds a valid UI document; the
 * decisions come in order and the stage moves from `context_needed` to `done`. `baton show` then
 * writes each UI artifact's rendered preview to a file and prints its path.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_ENV, stagesOverTime } from './builtin-harness.js';
import { eventsOf } from './blueprint-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';
import { expectStepOutput, UI_VARIANTS_PHASES } from './ui-variants-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

type Json = Record<string, unknown>;

describe('baton run ui-variants --auto, offline', () => {
  it(
    'runs end to end on the bundled context: V0, two variant outputs, V1 linked to V0, decisions in order, stages, status, previews',
    async () => {
      // Previews go to $TMPDIR: keep them in the test's home.
      const env = { ...OFFLINE_ENV, TMPDIR: home.dir };
      const run = await baton(['run', 'ui-variants', '--auto', '--json'], home.dir, env);
      expect(run.code, run.stderr).toBe(0);
      const snap = snapshot(run);
      expect(snap).toMatchObject({ workflow: 'ui-variants', status: 'completed', stage: 'done' });
      expect(snap.phases.map((phase) => [phase.id, phase.status, phase.attempts])).toEqual(
        UI_VARIANTS_PHASES.map((id) => [id, 'completed', 1]),
      );

      // V0: the bundled pricing card, no parent.
      const v0 = phaseOf(snap, 'baseline').output as Json;
      expectStepOutput('ui-baseline', v0, 'V0');
      expect(v0).toMatchObject({
        verdict: 'approve',
        findings: [],
        kind: 'ui-parent-version',
        versionId: 'V0',
        parentVersionId: null,
        uiSchema: PRICING_CARD_EXAMPLE,
      });
      // Each variant: seed 004's PhaseOutput, its patch applied to V0 and checked.
      const patches: unknown[] = [];
      for (const key of ['a', 'b']) {
        const output = phaseOf(snap, `review-${key}`).output as Json;
        expectStepOutput('ui-variant', output, `review-${key}`);
        expect(output).toMatchObject({
          variantId: `variant-${key}`,
          parentVersionId: 'V0',
          patch: phaseOf(snap, `variant-${key}`).output,
          diff: { summary: expect.any(String) },
          passed: true,
        });
        expect((output.rubricResults as { criterion: string }[]).map((r) => r.criterion)).toEqual([
          'clarity',
          'hierarchy',
          'accessibility',
          'brand',
        ]);
        expect(phaseOf(snap, `check-${key}`).output).toMatchObject({ verdict: 'approve', findings: [] });
        patches.push(...(output.patch as { ops: unknown[] }).ops);
      }
      // V1: both patches, in variant order, linked to V0 with its tokens.
      const v1 = phaseOf(snap, 'merge').output as Json;
      expectStepOutput('merge-ui-variants', v1, 'V1');
      const both = applyPatch(PRICING_CARD_EXAMPLE, { ops: patches });
      expect(both.ok).toBe(true);
      expect(v1).toMatchObject({
        versionId: 'V1',
        parentVersionId: 'V0',
        uiSchema: both.ok ? both.document : null,
        tokens: PRICING_CARD_EXAMPLE.tokens,
        constraints: v0.constraints,
        approved: [{ variantId: 'variant-a' }, { variantId: 'variant-b' }],
        excluded: [],
      });

      const events = await eventsOf(home.dir, snap.id);
      expect(
        events.flatMap((event) =>
          event.type === 'human_decision' ? [[event.phaseId, event.decision, event.reason]] : [],
        ),
      ).toEqual([
        ['context', 'submit', 'submitted by --auto: the default of its output schema'],
        ['context', 'approve', 'approved by --auto'],
        ['review-a', 'approve', 'approved by --auto'],
        ['review-b', 'approve', 'approved by --auto'],
      ]);
      expect(stagesOverTime(events)).toEqual([
        'context_needed',
        'baseline_checking',
        'baseline_ready',
        'variants_generating',
        'variants_ready',
        'merging',
        'done',
      ]);

      // `baton show` writes each UI artifact's preview and prints where.
      const shown = await baton(['show', snap.id], home.dir, env);
      expect(shown.code, shown.stderr).toBe(0);
      const previews = [...shown.stdout.matchAll(/preview: (\S+\.html)/g)].map((match) => match[1]!);
      expect(previews.map((file) => path.basename(file))).toEqual([
        'baseline.v1.html',
        'check-a.v1.html',
        'review-a.v1.html',
        'check-b.v1.html',
        'review-b.v1.html',
        'merge.v1.html',
      ]);
      const merged = await readFile(previews.at(-1)!, 'utf8');
      expect(merged).toMatch(/^<!DOCTYPE html>/i);
      expect(merged).toContain('Start your free 14-day Team trial');
      expect(merged).toContain('$240 a month for a team of ten');
      expect(merged).not.toContain('<script');
      expect(await readFile(previews[0]!, 'utf8')).toContain('Start a free trial');
    },
    3 * PER_COMMAND_MS,
  );
});
