import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAttemptProcesses, probeProcess, type AttemptProcessRecord } from '@baton/runtime';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BATON_BIN = path.join(REPO_ROOT, 'packages/cli/bin/baton.js');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');

/**
 * How long one `baton` command may take on a loaded machine: starting Node and tsx, creating or
 * opening the database (a new embedded home runs initdb), a few short phases. About 3 s on an idle
 * 2-core machine, 30 s when it is shared by a dozen busy processes. Tests give themselves this much
 * per command they run, and wait this long for a command to get somewhere.
 */
export const PER_COMMAND_MS = 60_000;

export interface BatonResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The `baton` processes started in each home and not yet exited (for cleanup). */
const running = new Map<string, Set<ChildProcess>>();

/**
 * A temporary `$BATON_HOME` (and working directory) for one test. `cleanup()` first kills the
 * `baton` processes the test started there and still running (a test that failed or timed out),
 * and the tool processes their attempts left behind, then removes the directory (retrying while
 * something still writes into it).
 */
export async function tempHome(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-cli-'));
  return {
    dir,
    async cleanup() {
      await killStarted(dir);
      await stopLeftTools(dir);
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

async function killStarted(home: string): Promise<void> {
  const children = [...(running.get(home) ?? [])];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.delete(home);
}

/** Stops the process groups recorded by attempts whose `baton` was killed (`.baton/attempts`). */
async function stopLeftTools(home: string): Promise<void> {
  const dir = path.join(home, '.baton', 'attempts');
  const names = await readdir(dir).catch(() => [] as string[]);
  const processes = createAttemptProcesses({ dir, killGraceMs: 500 });
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const record = JSON.parse(await readFile(path.join(dir, name), 'utf8').catch(() => '{}')) as
      Partial<AttemptProcessRecord> | undefined;
    if (record?.runId === undefined || record.phaseId === undefined || record.attempt === undefined) continue;
    await processes.stopAbandoned({ runId: record.runId, phaseId: record.phaseId, attempt: record.attempt });
  }
}

/**
 * How many tool attempts of `home`'s `baton` processes are recorded as running (their process
 * groups, in `.baton/attempts`): a `baton` killed after its tool is recorded has it stopped on
 * recovery.
 */
export async function recordedAttempts(home: string): Promise<number> {
  const names = await readdir(path.join(home, '.baton', 'attempts')).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.json')).length;
}

/**
 * Starts `baton ARGS` as a real process with its own `$BATON_HOME`; stdin is not a terminal.
 * `entry`: the program to start instead of `bin/baton.js` (one that runs the CLI composed
 * otherwise, such as `baton-with-test-steps.js`).
 */
export function startBaton(
  args: readonly string[],
  home: string,
  env: NodeJS.ProcessEnv = {},
  entry: string = BATON_BIN,
): ChildProcess {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: home,
    env: {
      ...process.env,
      BATON_HOME: path.join(home, '.baton'),
      BATON_USER: 'tester',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = running.get(home) ?? new Set();
  running.set(home, started.add(child));
  child.once('close', () => started.delete(child));
  return child;
}

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** What is waited for, as the error says it: "the pid file of attempt 1". */
  readonly what: string;
  /** How long it may take; derive it from the work ({@link PER_COMMAND_MS} by default: one command). */
  readonly timeoutMs?: number;
  /** A `baton` process that must still run: its exit fails the wait at once, quoting its output. */
  readonly whileRunning?: ChildProcess;
}

/**
 * Polls `condition` (every 25 ms) until it returns a truthy value, and returns that. Fails naming
 * `what` after `timeoutMs`, or as soon as `whileRunning` has exited. Never a fixed sleep: it
 * returns as soon as the condition holds.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions,
): Promise<Exclude<T, false | undefined | null | 0 | ''>> {
  const timeoutMs = options.timeoutMs ?? PER_COMMAND_MS;
  const deadline = Date.now() + timeoutMs;
  const output = options.whileRunning === undefined ? undefined : collectOutput(options.whileRunning);
  for (;;) {
    const value = await condition();
    if (value) return value as Exclude<T, false | undefined | null | 0 | ''>;
    const child = options.whileRunning;
    if (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `baton exited (${child.exitCode ?? child.signalCode}) before ${options.what}:\n${output?.() ?? ''}`,
      );
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function collectOutput(child: ChildProcess): () => string {
  let text = '';
  const add = (chunk: Buffer) => (text += chunk.toString());
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

/** The pid a process wrote into `file` (`echo $$ > file`), once the whole number is there. */
export async function pidIn(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return /^\d+\n$/.test(text) ? Number(text.trim()) : undefined;
}

/**
 * True once process `pid` is gone: it does not exist, or it is a zombie (it exited and waits to be
 * reaped by its parent or init).
 */
export function isGone(pid: number): boolean {
  const identity = probeProcess(pid);
  if (identity === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Waits for a started `baton` process and collects its output. */
export function finished(child: ChildProcess): Promise<BatonResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `baton ARGS` to the end (`entry`: see {@link startBaton}). */
export function baton(
  args: readonly string[],
  home: string,
  env: NodeJS.ProcessEnv = {},
  entry?: string,
): Promise<BatonResult> {
  return finished(startBaton(args, home, env, entry));
}

/** Model usage in a snapshot. */
interface Usage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number | null;
}

/** The `--json` snapshot printed by a command. */
export interface Snapshot {
  id: string;
  workflow: string;
  status: string;
  stage: string | null;
  reason?: string;
  forkedFrom?: { runId: string; from?: string };
  usage?: Usage;
  offline?: true;
  phases: {
    id: string;
    status: string;
    attempts: number;
    output: unknown;
    versions: { version: number; attempt: number }[];
    copiedFrom?: { runId: string; version?: number };
    elements?: number;
    instanceOf?: { map: string; index: number };
    error?: { code: string; message: string };
    waiting?: {
      reason: string;
      source: string;
      recommendation?: { by: string; verdict: string; findings: unknown };
      feedback?: string;
    };
    decision?: { decision: string; by: string; reason?: string; feedback?: string };
    usage?: Usage & { provider: string; model: string };
    warnings?: { attempt: number; code: string; message: string }[];
  }[];
  events?: { seq: number; type: string; phaseId?: string; attempt?: number }[];
}

export function snapshot(result: BatonResult): Snapshot {
  try {
    return JSON.parse(result.stdout) as Snapshot;
  } catch {
    throw new Error(
      `not a JSON snapshot (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
}

export function phaseOf(snap: Snapshot, id: string): Snapshot['phases'][number] {
  const phase = snap.phases.find((p) => p.id === id);
  if (phase === undefined) throw new Error(`no phase ${id} in ${JSON.stringify(snap)}`);
  return phase;
}
