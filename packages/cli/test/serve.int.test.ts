/**
 * `baton serve` stops without losing or doubling work: on SIGTERM it stops accepting, lets running
 * phases finish within the grace period, or releases them to the queue, and exits 0; the next
 * server completes what was released. A second SIGTERM stops at once.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, describe } from 'vitest';
import {
  baton,
  finished,
  PER_COMMAND_MS,
  phaseOf,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
  type Snapshot,
} from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;

beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** Two phases that run at once; each holds until the test creates `release`. */
async function twoHeldPhases(): Promise<{ file: string; release: string; started: (id: string) => string }> {
  const release = path.join(home.dir, 'release');
  const started = (id: string) => path.join(home.dir, `started-${id}-1`);
  const phase = (id: string) => [
    `  - id: ${id}`,
    '    kind: tool',
    '    run: |',
    `      touch "${home.dir}/started-${id}-$BATON_ATTEMPT"`,
    `      while [ ! -f "${release}" ]; do sleep 0.05; done`,
    `      echo "${id} by attempt $BATON_ATTEMPT"`,
  ];
  const file = path.join(home.dir, 'held.yaml');
  await writeFile(file, ['id: held', 'phases:', ...phase('a'), ...phase('b'), ''].join('\n'));
  return { file, release, started };
}

async function createDetached(file: string): Promise<string> {
  const created = await baton(['run', file, '--detach', '--json'], home.dir);
  expect(created.code, created.stderr).toBe(0);
  return (JSON.parse(created.stdout) as { id: string }).id;
}

async function show(runId: string): Promise<Snapshot> {
  const result = await baton(['show', runId, '--json', '--events'], home.dir);
  expect(result.code, result.stderr).toBe(0);
  return snapshot(result);
}

/** The attempts each phase's events record, in order, as `started`/`completed`/`failed`. */
function attemptsOf(snap: Snapshot, phaseId: string): string[] {
  return (snap.events ?? [])
    .filter((event) => event.phaseId === phaseId && event.type.startsWith('phase_'))
    .filter((event) => ['phase_started', 'phase_completed', 'phase_failed'].includes(event.type))
    .map((event) => `${event.type.slice(6)}#${event.attempt}`);
}

function serve(args: readonly string[] = []) {
  return startBaton(['serve', '--port', '0', ...args], home.dir, { BATON_LOG_LEVEL: 'warn' });
}

async function serverFile(): Promise<{ url: string; socket: string } | undefined> {
  const text = await readFile(path.join(home.dir, '.baton', 'server.json'), 'utf8').catch(() => '');
  return text === '' ? undefined : (JSON.parse(text) as { url: string; socket: string });
}

describe('baton serve on SIGTERM', () => {
  it(
    'lets both running phases finish within the grace period, then exits 0',
    async () => {
      const { file, release, started } = await twoHeldPhases();
      const runId = await createDetached(file);
      const server = serve(['--grace', '120s']);
      const done = finished(server);
      await waitFor(() => existsSync(started('a')) && existsSync(started('b')), {
        what: 'both phases to start under the server',
        whileRunning: server,
      });
      server.kill('SIGTERM');
      // It stops accepting at once: the server file goes when the socket closes.
      await waitFor(async () => (await serverFile()) === undefined, {
        what: 'the server to stop listening',
        whileRunning: server,
      });
      await writeFile(release, '');
      const result = await done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/SIGTERM: stopping/);

      const snap = await show(runId);
      expect(snap.status).toBe('completed');
      for (const id of ['a', 'b']) {
        expect(attemptsOf(snap, id)).toEqual(['started#1', 'completed#1']);
        expect(phaseOf(snap, id).output).toBe(`${id} by attempt 1\n`);
      }
    },
    4 * PER_COMMAND_MS,
  );

  it(
    'releases phases still running after the grace period; the next server completes them, each once',
    async () => {
      const { file, release, started } = await twoHeldPhases();
      const runId = await createDetached(file);
      const first = serve(['--grace', '1s']);
      const firstDone = finished(first);
      await waitFor(() => existsSync(started('a')) && existsSync(started('b')), {
        what: 'both phases to start under the first server',
        whileRunning: first,
      });
      first.kill('SIGTERM');
      const stopped = await firstDone;
      expect(stopped.code, stopped.stderr).toBe(0);

      await writeFile(release, '');
      const second = serve();
      // `baton show` reads through a copy while the server holds the home; it must not take the home first.
      await waitFor(() => serverFile(), { what: 'the next server to start', whileRunning: second });
      await waitFor(async () => (await show(runId)).status === 'completed' || undefined, {
        what: 'the next server to complete the run',
        whileRunning: second,
        timeoutMs: 2 * PER_COMMAND_MS,
      });
      const secondDone = finished(second);
      second.kill('SIGTERM');
      expect((await secondDone).code).toBe(0);

      const snap = await show(runId);
      for (const id of ['a', 'b']) {
        // Attempt 1 was released (recorded as interrupted); attempt 2 ran to the end. Nothing twice.
        expect(attemptsOf(snap, id)).toEqual(['started#1', 'failed#1', 'started#2', 'completed#2']);
        const released = (snap.events ?? []).find(
          (event) => event.type === 'phase_failed' && event.phaseId === id,
        ) as { error?: { code: string } } | undefined;
        expect(released?.error?.code).toBe('INTERRUPTED');
        expect(phaseOf(snap, id).versions).toHaveLength(1);
        expect(phaseOf(snap, id).output).toBe(`${id} by attempt 2\n`);
      }
    },
    6 * PER_COMMAND_MS,
  );

  it(
    'exits at once on a second SIGTERM, releasing what runs',
    async () => {
      const { file, started } = await twoHeldPhases();
      const runId = await createDetached(file);
      const server = serve(['--grace', '10m']);
      const done = finished(server);
      await waitFor(() => existsSync(started('a')) && existsSync(started('b')), {
        what: 'both phases to start',
        whileRunning: server,
      });
      server.kill('SIGTERM');
      await waitFor(async () => (await serverFile()) === undefined, {
        what: 'the server to stop listening',
        whileRunning: server,
      });
      server.kill('SIGTERM');
      const result = await done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/releasing running phases/);
      const snap = await show(runId);
      expect(snap.status).toBe('running');
      for (const id of ['a', 'b']) expect(phaseOf(snap, id).status).toBe('ready');
    },
    4 * PER_COMMAND_MS,
  );
});
