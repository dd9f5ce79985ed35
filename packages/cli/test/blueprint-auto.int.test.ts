/**
 * `baton run blueprint --auto --json` from a fresh home with no provider key: the built-in runs
 * end to end offline on its shipped fixtures. Each artifact is of its type and fits its schema
 * (markdown documents, file trees byte for byte as the fixtures write them, the OpenAPI document
 * valid and approved by its check, the merged architecture state), the two gates are approved in
 * order, the stage moves forward from `prd_generating` to `done`, the run is titled after the
 * PRD — and rewinding to either gate runs it and everything after it again, nothing before: to
 * `architecture` (the business rules), then, on the same run, to `api` (the API spec).
 */
import { createHash } from 'node:crypto';
import { REVIEWER_OUTPUT_SCHEMA, validateJson, type BuiltinContext, type JsonValue } from '@baton/engine';
import { builtinSteps } from '@baton/workflows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureFiles, OFFLINE_ENV, outputSchemas, stagesOverTime } from './builtin-harness.js';
import { BLUEPRINT_PHASES, BLUEPRINT_TITLE, eventsOf } from './blueprint-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

const step = (name: string) => builtinSteps[name]!;

describe('baton run blueprint --auto, offline', () => {
  it(
    'runs the built-in end to end: typed artifacts, gates in order, stages, title, status; a rewind to either gate restarts there',
    async () => {
      const run = await baton(['run', 'blueprint', '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(run.code, run.stderr).toBe(0);
      const snap = snapshot(run) as ReturnType<typeof snapshot> & { title?: string };
      expect(snap).toMatchObject({
        workflow: 'blueprint',
        status: 'completed',
        stage: 'done',
        title: BLUEPRINT_TITLE,
        offline: true,
      });
      expect(snap.phases.map((phase) => [phase.id, phase.status, phase.attempts])).toEqual(
        BLUEPRINT_PHASES.map((id) => [id, 'completed', 1]),
      );

      // Markdown documents.
      for (const id of ['prd', 'logic', 'frontend']) expect(phaseOf(snap, id).output, id).toMatch(/^# \S/);
      // The API fits its agent's schema, is valid OpenAPI 3.1, and its check approved it.
      const schemas = await outputSchemas('blueprint');
      expect([...schemas.keys()]).toEqual(['api']);
      const api = phaseOf(snap, 'api').output as JsonValue;
      expect(validateJson(schemas.get('api')!, api)).toEqual([]);
      const check = phaseOf(snap, 'validate-api').output as JsonValue;
      expect(validateJson(step('validate-openapi').output!, check)).toEqual([]);
      expect(validateJson(REVIEWER_OUTPUT_SCHEMA, check)).toEqual([]);
      expect(check).toMatchObject({
        verdict: 'approve',
        findings: [],
        documents: [{ phase: 'api', openapi: '3.1.0', valid: true }],
      });
      const again = await step('validate-openapi').run({ api }, {
        needs: ['api'],
      } as unknown as BuiltinContext);
      expect(again).toMatchObject({ ok: true, output: { verdict: 'approve' } });
      // The architecture state fits the merge step's schema and holds every branch.
      const architecture = phaseOf(snap, 'architecture').output as JsonValue;
      expect(validateJson(step('merge-architecture').output!, architecture)).toEqual([]);
      expect(architecture).toMatchObject({
        skipped: [],
        branches: {
          data: { status: 'completed', kind: 'file-tree' },
          design: { status: 'completed', kind: 'file-tree' },
          logic: { status: 'completed', kind: 'markdown', document: phaseOf(snap, 'logic').output },
        },
      });

      // The gates, each decided once, in order; the API's with its check's verdict.
      const events = await eventsOf(home.dir, snap.id);
      const decisions = events.filter((event) => event.type === 'human_decision');
      expect(decisions.map((event) => [event.phaseId, event.decision, event.reason])).toEqual([
        ['architecture', 'approve', 'approved by --auto'],
        ['api', 'approve', 'approved by --auto'],
      ]);
      const waits = events.filter((event) => event.type === 'waiting_for_human');
      expect(waits.map((event) => [event.phaseId, event.source, event.recommendation?.verdict])).toEqual([
        ['architecture', 'gate', undefined],
        ['api', 'gate', 'approve'],
      ]);
      expect(stagesOverTime(events)).toEqual([
        'prd_generating',
        'architecture_generating',
        'rules_ready',
        'api_generating',
        'api_ready',
        'frontend_generating',
        'deployment_generating',
        'done',
      ]);
      expect(events.filter((event) => event.type === 'run_titled')).toMatchObject([
        { title: BLUEPRINT_TITLE, source: 'output', by: 'prd' },
      ]);

      // The file trees: exactly the files each fixture writes, byte for byte (by their hashes).
      for (const id of ['data', 'design', 'deployment']) {
        const manifest = phaseOf(snap, id).output as {
          files: { path: string; sha256: string; size: number }[];
        };
        const expected = [...(await fixtureFiles('blueprint', id))].map(([file, content]) => ({
          path: file,
          sha256: createHash('sha256').update(content).digest('hex'),
          size: Buffer.byteLength(content),
        }));
        expect(
          manifest.files.map(({ path: file, sha256, size }) => ({ path: file, sha256, size })),
          id,
        ).toEqual(expected.sort((x, y) => (x.path < y.path ? -1 : 1)));
      }

      // Rewinding to the business-rules gate merges again and writes everything after it again.
      const rewound = await baton(
        ['rewind', snap.id, 'architecture', '--auto', '--json'],
        home.dir,
        OFFLINE_ENV,
      );
      expect(rewound.code, rewound.stderr).toBe(0);
      const after = snapshot(rewound);
      expect(after).toMatchObject({ status: 'completed', stage: 'done' });
      expect(Object.fromEntries(after.phases.map((phase) => [phase.id, phase.attempts]))).toEqual({
        prd: 1,
        data: 1,
        design: 1,
        logic: 1,
        architecture: 2,
        api: 2,
        'validate-api': 2,
        frontend: 2,
        deployment: 2,
      });
      expect(phaseOf(after, 'architecture').decision).toMatchObject({ decision: 'approve' });

      // Rewinding to the API-spec gate writes the API again, checks it, and what follows; the
      // architecture and everything before it keep their attempts.
      const apiRewound = await baton(['rewind', snap.id, 'api', '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(apiRewound.code, apiRewound.stderr).toBe(0);
      const afterApi = snapshot(apiRewound);
      expect(afterApi).toMatchObject({ status: 'completed', stage: 'done' });
      expect(Object.fromEntries(afterApi.phases.map((phase) => [phase.id, phase.attempts]))).toEqual({
        prd: 1,
        data: 1,
        design: 1,
        logic: 1,
        architecture: 2,
        api: 3,
        'validate-api': 3,
        frontend: 3,
        deployment: 3,
      });
      expect(phaseOf(afterApi, 'validate-api').output).toMatchObject({ verdict: 'approve' });
      const log = await eventsOf(home.dir, snap.id);
      const rewinds = log.filter((event) => event.type === 'run_rewound');
      expect(rewinds.map((event) => event.phaseId)).toEqual(['architecture', 'api']);
      expect(
        log.flatMap((event) =>
          event.type === 'human_decision' && event.phaseId === 'api' ? [event.decision] : [],
        ),
      ).toEqual(['approve', 'approve', 'approve']);
    },
    5 * PER_COMMAND_MS,
  );
});
