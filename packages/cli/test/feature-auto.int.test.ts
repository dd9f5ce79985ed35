/**
 * `baton run feature --auto --json` from a fresh home with no provider key: the built-in runs end
 * to end offline on its shipped fixtures. Every artifact fits its agent's (or step's) output
 * schema, the three gates are approved in order, the stage moves forward from `spec_generating`
 * to `done`, the run is titled after the specification, and the implementer's file tree holds
 * exactly the files its fixture writes.
 */
import path from 'node:path';
import { validateJson, type RunEvent } from '@baton/engine';
import { builtinSteps } from '@baton/workflows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';
import {
  FEATURE_TITLE,
  filesUnder,
  implementedFiles,
  OFFLINE_ENV,
  outputSchemas,
  stagesOverTime,
} from './feature-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('baton run feature --auto, offline', () => {
  it(
    'runs the built-in end to end: schemas, gates in order, stages, title, status and the file tree',
    async () => {
      const run = await baton(['run', 'feature', '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(run.code, run.stderr).toBe(0);
      const snap = snapshot(run) as ReturnType<typeof snapshot> & { title?: string };
      expect(snap).toMatchObject({
        workflow: 'feature',
        status: 'completed',
        stage: 'done',
        title: FEATURE_TITLE,
        offline: true,
      });
      expect(snap.phases.map((phase) => [phase.id, phase.status, phase.attempts])).toEqual(
        [
          'spec',
          'align-spec',
          'title',
          'plan',
          'align-plan',
          'tests',
          'align-tests',
          'implement',
          'security-review',
          'code-review',
          'verdict',
        ].map((id) => [id, 'completed', 1]),
      );

      // Every JSON artifact fits the schema its agent declares; the verdict fits its step's.
      const schemas = await outputSchemas();
      expect([...schemas.keys()].sort()).toEqual(
        snap.phases
          .map((phase) => phase.id)
          .filter((id) => id !== 'implement' && id !== 'verdict')
          .sort(),
      );
      for (const [id, schema] of schemas) {
        expect(validateJson(schema, phaseOf(snap, id).output as never), id).toEqual([]);
      }
      const verdict = phaseOf(snap, 'verdict').output;
      expect(validateJson(builtinSteps.verdict!.output!, verdict as never)).toEqual([]);
      expect(verdict).toMatchObject({ verdict: 'PASS' });

      // The gates, each decided once, in order: spec, plan, tests.
      const shown = await baton(['show', snap.id, '--json', '--events'], home.dir, OFFLINE_ENV);
      expect(shown.code, shown.stderr).toBe(0);
      const events = (JSON.parse(shown.stdout) as { events: RunEvent[] }).events;
      const decisions = events.filter((event) => event.type === 'human_decision');
      expect(decisions.map((event) => [event.phaseId, event.decision, event.reason])).toEqual([
        ['spec', 'approve', 'approved by --auto'],
        ['plan', 'approve', 'approved by --auto'],
        ['tests', 'approve', 'approved by --auto'],
      ]);
      for (const id of ['spec', 'plan', 'tests']) {
        expect(phaseOf(snap, id).decision, id).toMatchObject({ decision: 'approve' });
      }
      // Each gate waited with its alignment reviewer's advice before it was approved.
      const waits = events.filter((event) => event.type === 'waiting_for_human');
      expect(waits.map((event) => [event.phaseId, event.recommendation?.by])).toEqual([
        ['spec', 'align-spec'],
        ['plan', 'align-plan'],
        ['tests', 'align-tests'],
      ]);

      // The stage over time, from the event log folded step by step: forward only.
      expect(stagesOverTime(events)).toEqual([
        'spec_generating',
        'spec_ready',
        'plan_generating',
        'plan_ready',
        'tests_generating',
        'tests_ready',
        'implementing',
        'review',
        'done',
      ]);
      expect(events.filter((event) => event.type === 'run_titled')).toMatchObject([
        { title: FEATURE_TITLE, source: 'output' },
      ]);

      // The implementer's file tree: exactly the files its fixture writes, byte for byte.
      const expected = await implementedFiles();
      const downloaded = await baton(['download', snap.id, 'project'], home.dir, OFFLINE_ENV);
      expect(downloaded.code, downloaded.stderr).toBe(0);
      const written = await filesUnder(path.join(home.dir, 'project', 'implement'));
      expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [file, content] of expected) expect(written.get(file), file).toBe(content);
      const one = await baton(['cat', snap.id, 'implement', 'package.json'], home.dir, OFFLINE_ENV);
      expect(one.stdout).toBe(expected.get('package.json'));
    },
    4 * PER_COMMAND_MS,
  );
});
