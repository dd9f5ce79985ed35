/**
 * Built-in workflows from the command line, on a temporary directory of built-ins
 * (`BATON_BUILTINS_DIR`): `baton workflows` lists them, `baton workflows export` prints one that
 * `baton validate` and `baton run` take back, `baton graph` draws one, and `baton run` /
 * `baton validate` resolve a name when no file of that name exists — on the home, and through the
 * home's `baton serve`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { builtinSteps } from '@baton/workflows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  baton,
  finished,
  PER_COMMAND_MS,
  phaseOf,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
} from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let env: NodeJS.ProcessEnv;

/** A built-in `notes`: a gated draft by the scripted agent (fixtures in a file) → `publish`. */
const NOTES = [
  '# Release notes, offline.',
  'id: notes',
  'version: 2',
  'description: Draft release notes and publish them',
  'fixtures: fixtures.yaml',
  'phases:',
  '  - { id: draft, kind: agent, agent: scripted, gate: true }',
  '  - { id: publish, kind: agent, agent: scripted, needs: [draft] }',
  '',
].join('\n');
const NOTES_FIXTURES = 'draft: { output: { title: Notes } }\npublish: { output: published }\n';

beforeEach(async () => {
  home = await tempHome();
  const dir = path.join(home.dir, 'builtins');
  await mkdir(path.join(dir, 'notes'), { recursive: true });
  await writeFile(path.join(dir, 'notes', 'workflow.yaml'), NOTES);
  await writeFile(path.join(dir, 'notes', 'fixtures.yaml'), NOTES_FIXTURES);
  env = { BATON_BUILTINS_DIR: dir };
});
afterEach(async () => {
  await home.cleanup();
});

describe('built-in workflows in the CLI', () => {
  it('lists the built-ins with name, version and description, and as JSON', async () => {
    const listed = await baton(['workflows'], home.dir, env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^notes v2 {2}Draft release notes and publish them\n/);
    const json = await baton(['workflows', '--json'], home.dir, env);
    expect(JSON.parse(json.stdout)).toEqual({
      workflows: [{ name: 'notes', version: 2, description: 'Draft release notes and publish them' }],
    });
  });

  it(
    'exports a built-in that validates and runs as a file of its own',
    async () => {
      const exported = await baton(['workflows', 'export', 'notes'], home.dir, env);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).not.toContain('fixtures.yaml');
      const file = path.join(home.dir, 'my-notes.yaml');
      await writeFile(file, exported.stdout);
      // Without the built-ins: the copy needs nothing beside it.
      const validated = await baton(['validate', file], home.dir);
      expect(validated.code, validated.stderr).toBe(0);
      expect(validated.stdout).toBe(`${file}: ok — workflow "notes" v2, 2 phases, 1 waiting for a person\n`);
      const run = await baton(['run', file, '--auto', '--json'], home.dir);
      expect(run.code, run.stderr).toBe(0);
      expect(phaseOf(snapshot(run), 'publish').output).toBe('published');
    },
    2 * PER_COMMAND_MS,
  );

  it('validates and draws a built-in by name; a file of that name wins', async () => {
    const validated = await baton(['validate', 'notes'], home.dir, env);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toBe(
      'notes (built-in): ok — workflow "notes" v2, 2 phases, 1 waiting for a person\n',
    );

    const graph = await baton(['graph', 'notes'], home.dir, env);
    expect(graph.code, graph.stderr).toBe(0);
    expect(graph.stdout).toBe(
      [
        'flowchart TD',
        '  draft["draft<br/>agent: scripted · gate"]',
        '  publish["publish<br/>agent: scripted"]',
        '  draft --> publish',
        '  classDef gate stroke-width:3px',
        '  class draft gate',
        '',
      ].join('\n'),
    );

    await writeFile(
      path.join(home.dir, 'notes'),
      'id: local-notes\nphases:\n  - { id: a, kind: tool, run: "true" }\n',
    );
    const file = await baton(['validate', 'notes'], home.dir, env);
    expect(file.stdout).toBe('notes: ok — workflow "local-notes" v1, 1 phases\n');
  });

  it('refuses a name that is neither a file nor a built-in, naming the built-ins', async () => {
    for (const args of [
      ['run', 'nope'],
      ['validate', 'nope'],
      ['graph', 'nope.yaml'],
    ]) {
      const result = await baton(args, home.dir, env);
      expect(result.code).toBe(2);
      const name = args[1]!;
      expect(result.stderr).toBe(
        `error: no file ${name} and no built-in workflow of that name; built-ins: notes\n`,
      );
    }
    const exported = await baton(['workflows', 'export', 'nope'], home.dir, env);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toBe('error: no built-in workflow "nope"; built-ins: notes\n');
  });

  it('checks the built-ins against the steps this process runs when listing and exporting them, as when running one', async () => {
    const dir = env.BATON_BUILTINS_DIR!;
    await mkdir(path.join(dir, 'judged'), { recursive: true });
    await writeFile(
      path.join(dir, 'judged', 'workflow.yaml'),
      'id: judged\nphases:\n  - { id: verdict, kind: builtin, run: no-such-step }\n',
    );
    const known = Object.keys(builtinSteps).sort().join(', ');
    const problem = `phases[0].run: unknown builtin step "no-such-step" (known steps: ${known})`;
    for (const args of [['validate', 'judged'], ['workflows'], ['workflows', 'export', 'judged']]) {
      const result = await baton(args, home.dir, env);
      expect(result.code, `baton ${args.join(' ')}`).toBe(4);
      expect(result.stderr, `baton ${args.join(' ')}`).toContain(problem);
    }
  });

  it('runs a built-in by name on the home', async () => {
    const run = await baton(['run', 'notes', '--auto', '--json'], home.dir, env);
    expect(run.code, run.stderr).toBe(0);
    const snap = snapshot(run);
    expect(snap).toMatchObject({ workflow: 'notes', status: 'completed' });
    expect(phaseOf(snap, 'draft').output).toEqual({ title: 'Notes' });
  });

  it(
    'runs a built-in by name through the home’s baton serve, which resolves it',
    async () => {
      const server = startBaton(['serve', '--port', '0'], home.dir, { ...env, BATON_LOG_LEVEL: 'warn' });
      const serverJson = path.join(home.dir, '.baton', 'server.json');
      await waitFor(() => readFile(serverJson, 'utf8').catch(() => ''), {
        what: 'baton serve to write server.json',
        whileRunning: server,
      });
      const run = await baton(['run', 'notes', '--auto', '--json'], home.dir, env);
      expect(run.code, run.stderr).toBe(0);
      expect(snapshot(run)).toMatchObject({ workflow: 'notes', status: 'completed' });

      const unknown = await baton(['run', 'nope'], home.dir, env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(
        /^error: no file nope and no workflow of that name on .* `baton workflows` lists the built-ins\n$/,
      );

      const stopped = finished(server);
      server.kill('SIGTERM');
      expect((await stopped).code).toBe(0);
    },
    4 * PER_COMMAND_MS,
  );
});
