/**
 * What `baton diff` and `baton download` do at the edges of a person's machine, as real processes
 * on a free home (the three ways of reaching a run are compared in through-server.int.test.ts):
 * a diff is coloured on a terminal only, and a download never writes outside its directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, EXAMPLES, finished, PER_COMMAND_MS, REPO_ROOT, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let runId: string;

beforeAll(async () => {
  home = await tempHome();
  const ran = await baton(['run', path.join(EXAMPLES, 'feature-agents.yaml'), '--json'], home.dir);
  expect(ran.code, ran.stderr).toBe(0);
  runId = snapshot(ran).id;
}, 2 * PER_COMMAND_MS);

afterAll(async () => {
  await home.cleanup();
});

const ESC = '\u001b[';

describe('baton diff and baton download on a person’s machine', () => {
  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'colours a diff on a terminal, and never when piped or with NO_COLOR set',
    async () => {
      // `script` gives the command a pseudo-terminal, as a person's shell would.
      const onTerminal = async (env: NodeJS.ProcessEnv) => {
        const command = `'${process.execPath}' '${path.join(REPO_ROOT, 'packages/cli/bin/baton.js')}' diff ${runId} code 1 2`;
        const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
          cwd: home.dir,
          env: { ...process.env, BATON_HOME: path.join(home.dir, '.baton'), ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return finished(terminal);
      };
      const coloured = await onTerminal({ NO_COLOR: '' });
      expect(coloured.code, coloured.stderr).toBe(0);
      expect(coloured.stdout).toContain(`${ESC}1m--- a/src/export.ts${ESC}0m`);
      const lines = coloured.stdout.split(/\r?\n/);
      expect(lines.some((line) => line.startsWith(`${ESC}36m@@ `) && line.endsWith(`${ESC}0m`))).toBe(true);
      expect(lines.some((line) => line.startsWith(`${ESC}31m-`) || line.startsWith(`${ESC}32m+`))).toBe(true);

      const plainOnTerminal = await onTerminal({ NO_COLOR: '1' });
      expect(plainOnTerminal.code, plainOnTerminal.stderr).toBe(0);
      expect(plainOnTerminal.stdout).not.toContain(ESC);

      const piped = await baton(['diff', runId, 'code', '1', '2'], home.dir, { NO_COLOR: '' });
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout).not.toContain(ESC);
      expect(piped.stdout).toMatch(/^--- a\/src\/export\.ts\n\+\+\+ b\/src\/export\.ts\n@@/);
    },
    4 * PER_COMMAND_MS,
  );

  it(
    'stops with exit 2 instead of writing through a symbolic link that leads out of the directory (zip-slip)',
    async () => {
      const dir = path.join(home.dir, 'project');
      const outside = path.join(home.dir, 'outside');
      await mkdir(dir);
      await mkdir(outside);
      await symlink(outside, path.join(dir, 'code'));
      const refused = await baton(['download', runId, 'project', '--force'], home.dir);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(
        /the zip's entry "code\/[^"]+" was not written: code\/ leads outside the directory/,
      );
      expect(await readdir(outside)).toEqual([]);
    },
    2 * PER_COMMAND_MS,
  );

  it(
    'refuses a run that does not exist, and a directory and --zip together, without writing anything; --zip - writes to standard output',
    async () => {
      const missing = await baton(['download', 'no-such-run'], home.dir);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no run "no-such-run"');
      const both = await baton(['download', runId, 'somewhere', '--zip', 'run.zip'], home.dir);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('give a directory or --zip FILE, not both');
      // And --zip - writes the zip itself, and nothing else, to standard output.
      const piped = await baton(['download', runId, '--zip', '-'], home.dir);
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout.startsWith('PK\u0003\u0004')).toBe(true);
      expect(piped.stdout).not.toContain('wrote');
      const names = await readdir(home.dir);
      expect(names).not.toContain('no-such-run');
      expect(names).not.toContain('somewhere');
      expect(names).not.toContain('run.zip');
    },
    2 * PER_COMMAND_MS,
  );
});
