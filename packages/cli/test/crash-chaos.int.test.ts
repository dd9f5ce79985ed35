/**
 * The thorough crash test: a 30-phase workflow of tool phases (each sleeps 100–500 ms, then creates
 * a side-effect file named after its phase and attempt, failing if it exists) is driven by `baton`
 * processes that are killed with SIGKILL again and again — at random moments, while a phase runs,
 * and at injected points (after the events are appended but before the commit; after the commit
 * but before the driver acts on it) — and restarted with `baton resume` each time. At least ten of
 * the kills must land while an attempt is between its start and its side effect. The run must end
 * completed with a gap-free log, each phase's output stored once per completed attempt, and no
 * side-effect file created twice.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, describeOnPostgres } from '@baton/store/testing';
import {
  PER_COMMAND_MS,
  baton,
  finished,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
  type Snapshot,
} from './cli-harness.js';

const PHASES = 30;
const KILLS = 24;
const LEASE_MS = 1500;
/**
 * Each round starts one `baton` (the first also lists the runs), then come the final resume and
 * show: a budget of one command's worth per round, plus three.
 */
const BUDGET_MS = (KILLS + 3) * PER_COMMAND_MS;

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** A deterministic pseudo-random sequence (the test must be reproducible). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

async function chaosWorkflow(marks: string): Promise<string> {
  const rand = random(7);
  const lines = ['id: chaos', 'phases:'];
  for (let i = 1; i <= PHASES; i++) {
    // A layered DAG: each phase needs one or two of the previous five.
    const needs = new Set<string>();
    if (i > 1) needs.add(`p${Math.max(1, i - 1 - Math.floor(rand() * 5))}`);
    if (i > 3 && rand() < 0.5) needs.add(`p${Math.max(1, i - 1 - Math.floor(rand() * 5))}`);
    const sleep = (0.1 + rand() * 0.4).toFixed(2);
    lines.push(
      `  - id: p${i}`,
      '    kind: tool',
      ...(needs.size > 0 ? [`    needs: [${[...needs].join(', ')}]`] : []),
      // A phase may be running at every kill; the default (3 lost attempts, then STUCK) would give
      // up on it, which is right for a crash loop but not what this test is about.
      `    retry: { maxRecoveries: ${KILLS} }`,
      '    run: |',
      `      touch "${marks}/running-$BATON_PHASE_ID-$BATON_ATTEMPT"`,
      `      sleep ${sleep}`,
      `      set -C; : > "${marks}/$BATON_PHASE_ID-$BATON_ATTEMPT"`,
      '      echo "$BATON_PHASE_ID done by attempt $BATON_ATTEMPT"',
    );
  }
  const file = path.join(home.dir, 'chaos.yaml');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** The phases whose attempt started after `since` and has not created its side effect yet. */
async function inFlight(marks: string, since: number): Promise<string[]> {
  const names = await readdir(marks);
  const running: string[] = [];
  for (const name of names) {
    if (!name.startsWith('running-')) continue;
    if ((await stat(path.join(marks, name))).mtimeMs <= since) continue;
    if (!names.includes(name.slice('running-'.length))) running.push(name.slice('running-'.length));
  }
  return running;
}

/** Waits until an attempt started after `since` is running (or baton exited); false after `timeoutMs`. */
function phaseRunningSince(
  marks: string,
  since: number,
  exited: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  return waitFor(async () => exited() || (await inFlight(marks, since)).length > 0, {
    what: 'a phase to start',
    timeoutMs,
  }).then(
    () => true,
    () => false,
  );
}

type Mode = 'running' | 'random' | 'after-append' | 'after-commit';
/** Rounds of six: three kills while a phase runs, one at a random moment, two injected. */
const MODES: readonly Mode[] = ['running', 'random', 'after-commit', 'running', 'after-append', 'running'];

async function runChaos(databaseUrl: string | undefined): Promise<void> {
  const marks = path.join(home.dir, 'marks');
  await mkdir(marks);
  const file = await chaosWorkflow(marks);
  const db = databaseUrl === undefined ? [] : ['--database-url', databaseUrl];
  const env = { BATON_LEASE_MS: String(LEASE_MS) };
  const rand = random(42);
  const kills: Record<Mode, number> = { running: 0, random: 0, 'after-append': 0, 'after-commit': 0 };
  let killedMidPhase = 0;
  let runId: string | undefined;

  for (let round = 0; round < KILLS; round++) {
    const mode = MODES[round % MODES.length]!;
    // The n-th time this process reaches the point (n from 1 to 4), so the kill lands mid-run.
    const fault =
      mode === 'after-append' || mode === 'after-commit'
        ? `${mode}:${1 + Math.floor(rand() * 4)}`
        : undefined;
    const args = runId === undefined ? ['run', file, ...db] : ['resume', runId, ...db];
    const startedAt = Date.now();
    const child = startBaton(args, home.dir, {
      ...env,
      ...(fault === undefined ? {} : { BATON_FAULT: fault }),
    });
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    if (mode === 'running') {
      // Let the phase get some way (or others finish) before the kill, so the run moves on.
      const running = await phaseRunningSince(marks, startedAt, () => exited, PER_COMMAND_MS);
      await new Promise((r) => setTimeout(r, rand() * 300));
      if (!running && !exited) {
        child.kill('SIGKILL');
        const stuck = await done;
        throw new Error(
          `round ${round}: no phase started within ${PER_COMMAND_MS / 1000} s; baton ${args.join(' ')} printed:\n${stuck.stdout}\n${stuck.stderr}`,
        );
      }
    } else if (mode === 'random') {
      await new Promise((r) => setTimeout(r, 300 + rand() * 2500));
    }
    if (mode === 'running' || mode === 'random') {
      if (!exited && (await inFlight(marks, startedAt)).length > 0) killedMidPhase += 1;
      child.kill('SIGKILL');
    }
    const result = await done;
    if (result.code === 0) break; // the run finished before this round's kill
    expect(result.signal, `round ${round} (${mode}${fault ? ` ${fault}` : ''}): ${result.stderr}`).toBe(
      'SIGKILL',
    );
    kills[mode] += 1;
    if (runId === undefined) {
      const runs = JSON.parse((await baton(['runs', '--json', ...db], home.dir)).stdout) as { id: string }[];
      expect(runs).toHaveLength(1);
      runId = runs[0]!.id;
    }
  }
  const total = Object.values(kills).reduce((a, b) => a + b, 0);
  expect(total, JSON.stringify(kills)).toBeGreaterThanOrEqual(15);
  expect(killedMidPhase, JSON.stringify(kills)).toBeGreaterThanOrEqual(10);
  expect(kills['after-append'], JSON.stringify(kills)).toBeGreaterThanOrEqual(2);
  expect(kills['after-commit'], JSON.stringify(kills)).toBeGreaterThanOrEqual(2);

  const final = await baton(['resume', runId!, '--json', ...db], home.dir, env);
  expect(final.code, final.stderr).toBe(0);
  const snap: Snapshot = snapshot(await baton(['show', runId!, '--json', '--events', ...db], home.dir));
  expect(snap.status).toBe('completed');
  const events = snap.events!;
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  for (const phase of snap.phases) {
    expect(phase.status).toBe('completed');
    const outputs = events.filter((e) => e.type === 'phase_output' && e.phaseId === phase.id);
    const completions = events.filter((e) => e.type === 'phase_completed' && e.phaseId === phase.id);
    expect(completions).toHaveLength(1);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.attempt).toBe(completions[0]!.attempt);
    expect(phase.output).toBe(`${phase.id} done by attempt ${completions[0]!.attempt}\n`);
    // The completed attempt's side effect exists; no attempt failed on an existing file (set -C).
    expect(existsSync(path.join(marks, `${phase.id}-${completions[0]!.attempt}`))).toBe(true);
  }
  const failures = events.filter((e) => e.type === 'phase_failed') as unknown as {
    abandoned?: string;
    error: { code: string };
  }[];
  expect(failures.filter((f) => f.abandoned === undefined)).toEqual([]);
}

describe('a run whose driving process is killed over and over', { timeout: BUDGET_MS }, () => {
  it('ends completed on the embedded store (PGlite), losing and duplicating nothing', async () => {
    await runChaos(undefined);
  });

  describeOnPostgres('on PostgreSQL', (adminUrl) => {
    it('ends completed on PostgreSQL, losing and duplicating nothing', async () => {
      const database = await createTestDatabase(adminUrl, 'baton_chaos');
      try {
        await runChaos(database.url);
      } finally {
        await database.drop();
      }
    });
  });
});
