/**
 * While a driving `baton run` holds an embedded home, every other `baton` command on the home acts
 * through the home's socket it serves: reads of any run, decisions about its run (which its driver
 * carries on at once); what would need another run executed is refused with HOME_BUSY (exit 2).
 * When it ends it leaves neither server.json nor the socket; a crash leaves a server.json the next
 * command ignores. The workflows hold a phase running until the test releases it (it waits for a
 * file), so the run is surely still driven while the test acts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  baton,
  finished,
  PER_COMMAND_MS,
  phaseOf,
  recordedAttempts,
  REPO_ROOT,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
} from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let files: { slow: string; other: string; gate: string; go: string };

beforeEach(async () => {
  home = await tempHome();
  const dir = home.dir;
  files = {
    slow: path.join(dir, 'slow.yaml'),
    other: path.join(dir, 'other.yaml'),
    gate: path.join(dir, 'gate.yaml'),
    go: path.join(dir, 'go'),
  };
  await writeFile(
    files.slow,
    [
      'id: slow-gate',
      'phases:',
      '  - { id: draft, kind: tool, run: echo draft, gate: true }',
      '  - { id: publish, kind: tool, needs: [draft], run: echo published }',
      '  - id: slow',
      '    kind: tool',
      `    run: while [ ! -f '${files.go}' ]; do sleep 0.05; done; echo slow done`,
      '',
    ].join('\n'),
  );
  await writeFile(files.other, 'id: other\nphases:\n  - { id: one, kind: tool, run: echo one }\n');
  await writeFile(
    files.gate,
    [
      'id: gate',
      'phases:',
      '  - { id: draft, kind: tool, run: echo draft, gate: true }',
      '  - { id: publish, kind: tool, needs: [draft], run: echo published }',
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  await writeFile(files.go, '');
  await home.cleanup();
});

const batonHome = () => path.join(home.dir, '.baton');
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

interface ServerFile {
  pid: number;
  socket: string;
  url?: string;
  command?: string;
  onlyRun?: string | null;
}

async function serverFile(): Promise<ServerFile | undefined> {
  const text = await readFile(path.join(batonHome(), 'server.json'), 'utf8').catch(() => '');
  return text === '' ? undefined : (JSON.parse(text) as ServerFile);
}

/**
 * The driven run's id, once the driving command has named it in server.json. The driver may first
 * create the home's database (a minute on a busy 2-CPU machine), then the run: two commands' time.
 */
async function drivenRun(driver: ReturnType<typeof startBaton>): Promise<ServerFile & { onlyRun: string }> {
  return waitFor(
    async () => {
      const info = await serverFile();
      return typeof info?.onlyRun === 'string' ? (info as ServerFile & { onlyRun: string }) : undefined;
    },
    { what: 'server.json to name the driven run', whileRunning: driver, timeoutMs: 2 * PER_COMMAND_MS },
  );
}

describe('a driving baton run serves the home to other commands', () => {
  it(
    'shows and decides through its socket, refuses another run with HOME_BUSY (exit 2), and leaves nothing behind',
    async () => {
      const other = await baton(['run', files.other, '--detach'], home.dir);
      expect(other.code, other.stderr).toBe(0);
      const otherId = other.stdout.trim();

      const driver = startBaton(['run', files.slow, '--json'], home.dir);
      const driving = finished(driver);
      const info = await drivenRun(driver);
      const runId = info.onlyRun;
      expect(info).toMatchObject({ pid: driver.pid, command: 'baton run' });
      expect(info.url).toBeUndefined();
      expect(await exists(info.socket)).toBe(true);

      // Reads: the run waits at its gate while `slow` still runs.
      await waitFor(
        async () => {
          const shown = await baton(['show', runId, '--json'], home.dir);
          return shown.code === 0 && phaseOf(snapshot(shown), 'draft').status === 'waiting_for_human';
        },
        { what: 'the gate of draft, shown through the socket', whileRunning: driver },
      );
      const listed = await baton(['runs', '--json'], home.dir);
      expect(listed.code, listed.stderr).toBe(0);
      expect((JSON.parse(listed.stdout) as { id: string }[]).map((run) => run.id).sort()).toEqual(
        [otherId, runId].sort(),
      );

      // Another run cannot be executed here.
      const busy = `is held by \`baton run\` (pid ${driver.pid}), which executes only run ${runId}`;
      const started = await baton(['run', files.other], home.dir);
      expect(started.code, started.stderr).toBe(2);
      expect(started.stderr).toContain(`cannot start a run here: `);
      expect(started.stderr).toContain(busy);
      const cancelled = await baton(['cancel', otherId], home.dir);
      expect(cancelled.code, cancelled.stderr).toBe(2);
      expect(cancelled.stderr).toContain(`run ${otherId} cannot go on here: `);

      // A decision about the driven run goes through; the driver carries it on at once.
      const approving = finished(startBaton(['approve', runId, 'draft', '--json'], home.dir));
      await waitFor(
        async () => {
          const shown = await baton(['show', runId, '--json'], home.dir);
          return shown.code === 0 && phaseOf(snapshot(shown), 'publish').status === 'completed';
        },
        { what: 'publish, run by the driver after the approval', whileRunning: driver },
      );
      await writeFile(files.go, '');

      const [driven, approved] = await Promise.all([driving, approving]);
      expect(driven.code, driven.stderr).toBe(0);
      const final = snapshot(driven);
      expect(final.status).toBe('completed');
      expect(phaseOf(final, 'draft').decision).toMatchObject({ decision: 'approve', by: 'tester' });
      expect(approved.code, approved.stderr).toBe(0);
      expect(snapshot(approved).status).toBe('completed');

      // Gone with it: server.json, the socket, the lock. Commands open the home themselves.
      expect(await serverFile()).toBeUndefined();
      expect(await exists(info.socket)).toBe(false);
      expect(await exists(path.join(batonHome(), 'baton.lock'))).toBe(false);
      const after = await baton(['show', runId, '--json'], home.dir);
      expect(after.code, after.stderr).toBe(0);
      expect(snapshot(after).status).toBe('completed');
    },
    14 * PER_COMMAND_MS,
  );

  it(
    'leaves a server.json when killed, which the next command ignores and removes',
    async () => {
      const driver = startBaton(['run', files.slow], home.dir);
      const driving = finished(driver);
      const info = await drivenRun(driver);
      // Killed while its run runs: `slow`'s tool is recorded as started.
      await waitFor(async () => (await recordedAttempts(home.dir)) > 0, {
        what: 'the tool of slow to start',
        whileRunning: driver,
      });
      driver.kill('SIGKILL');
      await driving;
      expect(await serverFile()).toMatchObject({ pid: info.pid });

      const shown = await baton(['show', info.onlyRun, '--json'], home.dir);
      expect(shown.code, shown.stderr).toBe(0);
      expect(snapshot(shown).status).toBe('running');
      expect(await serverFile()).toBeUndefined();
    },
    5 * PER_COMMAND_MS,
  );

  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'stops asking at the gate on a terminal when another terminal decides, and drives the run on',
    async () => {
      // `script` gives the command a pseudo-terminal: the gate prompt asks there.
      const command = `'${process.execPath}' '${path.join(REPO_ROOT, 'packages/cli/bin/baton.js')}' run '${files.gate}'`;
      const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: home.dir,
        env: { ...process.env, BATON_HOME: batonHome(), BATON_USER: 'tester', NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      terminal.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const closed = new Promise<number | null>((resolve) => terminal.once('close', (code) => resolve(code)));
      try {
        await waitFor(() => output.includes('[a]pprove'), {
          what: 'the gate prompt on the terminal',
          whileRunning: terminal,
        });
        const info = await drivenRun(terminal);
        const approved = await baton(['approve', info.onlyRun, 'draft'], home.dir);
        expect(approved.code, approved.stderr).toBe(0);
        expect(await closed, output).toBe(0);
        expect(output).toContain('the run moved on elsewhere');
        expect(output).toContain(`run ${info.onlyRun} completed`);
      } finally {
        terminal.stdin.end();
        if (terminal.exitCode === null) terminal.kill('SIGKILL');
      }
    },
    4 * PER_COMMAND_MS,
  );
});
