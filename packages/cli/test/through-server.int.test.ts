/**
 * Every `baton` command that reads or changes a run gives the same answer whether it acts on a
 * free home (the database itself), through the `baton serve` that holds the home (its socket), or
 * through a server named by `--server URL --token T`: the same exit code and the same output,
 * once run ids and times are made comparable. The three run the same script side by side.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baton,
  EXAMPLES,
  PER_COMMAND_MS,
  startBaton,
  tempHome,
  waitFor,
  type BatonResult,
} from './cli-harness.js';

type Mode = 'free' | 'socket' | 'url';
const MODES: readonly Mode[] = ['free', 'socket', 'url'];
const SETUP_TOKEN = 'through-server-setup-token-0123456789';

interface Side {
  home: Awaited<ReturnType<typeof tempHome>>;
  server?: ChildProcess;
  /** Extra arguments of every command (`--server URL --token T`). */
  args: string[];
  /** The run ids this side created, in order (their placeholder is their index). */
  runs: string[];
}

const sides = {} as Record<Mode, Side>;
let files: {
  edited: string;
  ask: string;
  gated: string;
  failing: string;
  slow: string;
  agents: string;
  mapped: string;
};

async function startServing(side: Side, args: readonly string[] = []): Promise<string> {
  side.server = startBaton(['serve', '--port', '0', ...args], side.home.dir, {
    BATON_LOG_LEVEL: 'warn',
    BATON_SETUP_TOKEN: SETUP_TOKEN,
  });
  const info = await waitFor(
    async () => {
      const text = await readFile(path.join(side.home.dir, '.baton', 'server.json'), 'utf8').catch(() => '');
      return text === '' ? undefined : (JSON.parse(text) as { url: string });
    },
    { what: 'the server to listen', whileRunning: side.server },
  );
  return info.url;
}

/** The owner's API token on a fresh server: setup with the preset token, then POST /api/tokens. */
async function ownerToken(url: string): Promise<string> {
  const setup = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: SETUP_TOKEN,
      email: 'owner@example.com',
      password: 'a long enough password',
    }),
  });
  expect(setup.status).toBe(201);
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'test' }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { token: string }).token;
}

beforeAll(async () => {
  for (const mode of MODES) sides[mode] = { home: await tempHome(), args: [], runs: [] };
  const dir = sides.free.home.dir;
  files = {
    gated: path.join(EXAMPLES, 'gated-review.yaml'),
    failing: path.join(EXAMPLES, 'failing-branch.yaml'),
    agents: path.join(EXAMPLES, 'feature-agents.yaml'),
    edited: path.join(dir, 'edited.json'),
    ask: path.join(dir, 'ask.yaml'),
    slow: path.join(dir, 'slow.yaml'),
    mapped: path.join(dir, 'mapped.yaml'),
  };
  await writeFile(files.edited, JSON.stringify({ title: 'Edited', criteria: ['by a person'] }));
  await writeFile(
    files.ask,
    [
      'id: ask',
      'phases:',
      '  - id: question',
      '    kind: human',
      '  - id: echo',
      '    kind: tool',
      '    needs: [question]',
      '    run: cat "$BATON_INPUTS_DIR/question"',
      '',
    ].join('\n'),
  );
  // Runs long enough for a command to start following it while it runs.
  await writeFile(
    files.slow,
    [
      'id: slow',
      'phases:',
      '  - { id: wait, kind: tool, run: "sleep 2; echo waited" }',
      '  - { id: echo, kind: tool, needs: [wait], run: cat "$BATON_INPUTS_DIR/wait" }',
      '',
    ].join('\n'),
  );
  // A map's inner phase with a fixtures file of its own (a server is sent it inline).
  await writeFile(
    files.mapped,
    [
      'id: mapped',
      'phases:',
      '  - { id: list, kind: tool, run: "echo \'[\\"a\\", \\"b\\"]\'", output: { type: array } }',
      '  - id: each',
      '    kind: map',
      '    over: list',
      '    phases:',
      '      - { id: say, kind: agent, agent: scripted, fixtures: mapped-fixtures.yaml }',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'mapped-fixtures.yaml'), "'each[*].say': { output: said }\n");
  await startServing(sides.socket);
  // Over the network a workflow's tool phases run only where the operator allows it.
  const url = await startServing(sides.url, ['--allow-host-tools']);
  sides.url.args = ['--server', url, '--token', await ownerToken(url)];
}, 4 * PER_COMMAND_MS);

afterAll(async () => {
  for (const mode of MODES) await sides[mode]?.home.cleanup();
});

/** `RUN0`, `RUN1`… stand for the side's runs in the order it created them. */
function runRef(side: Side, index: number): string {
  const id = side.runs[index];
  if (id === undefined) throw new Error(`no run ${index} yet`);
  return id;
}

/** Output made comparable: run ids by their index, times and durations as placeholders. */
function normalize(side: Side, mode: Mode, text: string): string {
  let out = text;
  side.runs.forEach((id, index) => (out = out.split(id).join(`RUN${index}`)));
  out = out
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"at": \d+/g, '"at": <time>')
    // A workflow sent to a server carries its fixtures inline, under this key instead of its path.
    .replace(/"fixtures\/gated-review\.yaml"/g, '"inline:workflow"')
    .replace(/\b\d+(\.\d+)?(ms|s|m|h)\b/g, '<duration>')
    .replace(/(run \S+ (?:completed|failed) in )\S+/g, '$1<duration>');
  // Through a token the server records its owner as who decided; the CLI sends --by over the socket.
  if (mode === 'url') out = out.split('owner@example.com').join('tester');
  return out;
}

/** Runs `args` (with `{N}` standing for run N of each side) on every side and compares. */
async function same(
  args: readonly string[],
  options: { creates?: boolean; expectExit?: number } = {},
): Promise<Record<Mode, BatonResult>> {
  const results = {} as Record<Mode, BatonResult>;
  await Promise.all(
    MODES.map(async (mode) => {
      const side = sides[mode];
      const concrete = args.map((arg) =>
        arg.replace(/\{(\d+)\}/g, (_, n: string) => runRef(side, Number(n))),
      );
      const result = await baton([...concrete, ...side.args], side.home.dir);
      if (options.creates) {
        const id = (JSON.parse(result.stdout) as { id?: string }).id;
        if (id === undefined) throw new Error(`${mode}: no run id in ${result.stdout}\n${result.stderr}`);
        side.runs.push(id);
      }
      results[mode] = result;
    }),
  );
  const free = results.free;
  if (options.expectExit !== undefined) expect(free.code, free.stderr).toBe(options.expectExit);
  for (const mode of ['socket', 'url'] as const) {
    const result = results[mode];
    expect(result.code, `${mode}: ${args.join(' ')}\n${result.stderr}`).toBe(free.code);
    expect(normalize(sides[mode], mode, result.stdout), `${mode}: ${args.join(' ')}`).toBe(
      normalize(sides.free, 'free', free.stdout),
    );
  }
  return results;
}

describe('each command on a free home, through the home’s server, and through --server', () => {
  it(
    'starts a run that waits at a gate, and lists and shows it',
    async () => {
      await same(['run', files.gated, '--json'], { creates: true, expectExit: 3 });
      await same(['runs', '--json']);
      await same(['show', '{0}', '--json']);
      await same(['show', '{0}']);
    },
    8 * PER_COMMAND_MS,
  );

  it(
    'raises a budget, pauses and resumes, requests changes, edits',
    async () => {
      await same(['budget', '{0}', '--tokens', '5000', '--json'], { expectExit: 3 });
      await same(['pause', '{0}', '--reason', 'lunch', '--json'], { expectExit: 3 });
      await same(['resume', '{0}', '--json'], { expectExit: 3 });
      await same(['request-changes', '{0}', 'spec', '--feedback', 'add a header row', '--json'], {
        expectExit: 3,
      });
      const shown = await same(['show', '{0}']);
      expect(shown.free.stdout).toContain('feedback: "add a header row"');
      await same(['edit', '{0}', 'spec', '--file', files.edited, '--json'], { expectExit: 0 });
      await same(['show', '{0}', '--events', '--json']);
    },
    12 * PER_COMMAND_MS,
  );

  it(
    'forks, rewinds and rejects',
    async () => {
      await same(['fork', '{0}', '--from', 'plan', '--json'], { creates: true, expectExit: 0 });
      await same(['rewind', '{0}', 'spec', '--json'], { expectExit: 3 });
      await same(['reject', '{0}', 'spec', '--reason', 'not needed', '--json'], { expectExit: 1 });
      const shown = await same(['show', '{0}']);
      expect(shown.free.stdout).toMatch(/decision: reject by \S+ at \S+ — not needed/);
    },
    10 * PER_COMMAND_MS,
  );

  it(
    'retries and skips a failed phase',
    async () => {
      await same(['run', files.failing, '--json'], { creates: true, expectExit: 1 });
      await same(['retry', '{2}', 'flaky', '--json'], { expectExit: 1 });
      await same(['skip', '{2}', 'flaky', '--json'], { expectExit: 0 });
    },
    10 * PER_COMMAND_MS,
  );

  it(
    'submits a human phase’s output, approves at a gate, cancels',
    async () => {
      await same(['run', files.ask, '--json'], { creates: true, expectExit: 3 });
      await same(['submit', '{3}', 'question', '--value', 'forty-two', '--json'], { expectExit: 0 });
      await same(['run', files.gated, '--json'], { creates: true, expectExit: 3 });
      await same(['approve', '{4}', 'spec', '--json'], { expectExit: 0 });
      await same(['run', files.gated, '--json'], { creates: true, expectExit: 3 });
      await same(['cancel', '{5}', '--reason', 'changed my mind', '--json'], { expectExit: 1 });
      await same(['runs']);
    },
    14 * PER_COMMAND_MS,
  );

  it(
    'prints outputs and files of a tree, diffs two versions, and writes a run as a project',
    async () => {
      await same(['run', files.agents, '--json'], { creates: true, expectExit: 0 });
      const printed = await same(['cat', '{6}', 'code', 'src/export.ts']);
      expect(printed.free.stdout).toContain('[header, ...rows]');
      await same(['cat', '{6}', 'code', 'src/export.ts', '--version', '1']);
      await same(['cat', '{6}', 'code']);
      await same(['cat', '{6}', 'spec']);
      await same(['cat', '{0}', 'spec', '--version', '1']);
      const diffed = await same(['diff', '{6}', 'code', '1', '2']);
      expect(diffed.free.stdout).toMatch(/^--- a\/src\/export\.ts\n\+\+\+ b\/src\/export\.ts\n@@/);
      await same(['diff', '{6}', 'code', '1', '2', '--json']);
      await same(['diff', '{0}', 'spec', '1', '3']);
      await same(['cat', '{6}', 'code', 'nope.ts'], { expectExit: 2 });
      await same(['cat', '{6}', 'code', '../../etc/passwd'], { expectExit: 2 });
      await same(['cat', '{6}', 'nope'], { expectExit: 2 });
      await same(['diff', '{6}', 'code', '1', '9'], { expectExit: 2 });
      await same(['download', '{6}', 'project'], { expectExit: 0 });
      await same(['download', '{6}', 'project'], { expectExit: 2 });
      await same(['download', '{0}'], { expectExit: 0 });
      await same(['download', '{0}', '--zip', 'run0.zip'], { expectExit: 0 });
      const trees = await Promise.all(
        MODES.map(async (mode) => {
          const side = sides[mode];
          const project = await filesUnder(path.join(side.home.dir, 'project'));
          const gated = await filesUnder(path.join(side.home.dir, runRef(side, 0)));
          return normalize(side, mode, JSON.stringify({ project, gated }, null, 2));
        }),
      );
      expect(trees[1]).toBe(trees[0]);
      expect(trees[2]).toBe(trees[0]);
      const project = JSON.parse(trees[0]!) as { project: Record<string, string> };
      expect(Object.keys(project.project)).toEqual([
        'baton-run.json',
        'code/README.md',
        'code/src/export.ts',
        'request.md',
        'review.json',
        'spec.json',
      ]);
    },
    20 * PER_COMMAND_MS,
  );
});

describe('following a run through the run stream', () => {
  it(
    'baton run --auto --json prints the snapshot a local run prints',
    async () => {
      await same(['run', files.gated, '--auto', '--json'], { creates: true, expectExit: 0 });
      // Fixtures named inside a map's template travel with the definition too.
      const mapped = await same(['run', files.mapped, '--auto', '--json'], { creates: true, expectExit: 0 });
      expect(mapped.url.stdout).toContain('"said"');
    },
    6 * PER_COMMAND_MS,
  );

  it(
    'baton show --follow watches a running run to its end, then prints what baton show prints',
    async () => {
      await Promise.all(
        (['socket', 'url'] as const).map(async (mode) => {
          const side = sides[mode];
          const started = await baton(['run', files.slow, '--detach', '--json', ...side.args], side.home.dir);
          expect(started.code, started.stderr).toBe(0);
          const { id } = JSON.parse(started.stdout) as { id: string };
          const followed = await baton(['show', id, '--follow', '--json', ...side.args], side.home.dir);
          expect(followed.code, `${mode}: ${followed.stderr}`).toBe(0);
          expect(JSON.parse(followed.stdout)).toMatchObject({ status: 'completed' });
          // Told each phase's progress on stderr as it went, not only the end.
          expect(followed.stderr, mode).toMatch(/wait/);
          const shown = await baton(['show', id, '--json', ...side.args], side.home.dir);
          expect(followed.stdout, mode).toBe(shown.stdout);
        }),
      );
    },
    6 * PER_COMMAND_MS,
  );

  it(
    'baton show --follow on a free home says nothing executes a run that runs (exit 130), and shows one that waits',
    async () => {
      const side = sides.free;
      const started = await baton(['run', files.slow, '--detach', '--json'], side.home.dir);
      const { id } = JSON.parse(started.stdout) as { id: string };
      const followed = await baton(['show', id, '--follow'], side.home.dir);
      expect(followed.code).toBe(130);
      expect(followed.stderr).toContain(`baton resume ${id}`);
      await same(['show', '{0}', '--follow', '--json'], { expectExit: 1 });
    },
    4 * PER_COMMAND_MS,
  );
});

/** Every file under `dir` by its relative path, sorted, with its text (a run's times made comparable). */
async function filesUnder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
  for (const name of names) {
    const text = await readFile(path.join(dir, name), 'utf8');
    // baton-run.json: its times are ISO 8601 strings, which `normalize` makes comparable.
    out[name] = text;
  }
  return out;
}
