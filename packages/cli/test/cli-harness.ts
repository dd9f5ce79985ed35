import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BATON_BIN = path.join(REPO_ROOT, 'packages/cli/bin/baton.js');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');

export interface BatonResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary `$BATON_HOME` (and working directory) for one test. */
export async function tempHome(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-cli-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts `baton ARGS` as a real process with its own `$BATON_HOME`; stdin is not a terminal. */
export function startBaton(args: readonly string[], home: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BATON_BIN, ...args], {
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

/** Runs `baton ARGS` to the end. */
export function baton(
  args: readonly string[],
  home: string,
  env: NodeJS.ProcessEnv = {},
): Promise<BatonResult> {
  return finished(startBaton(args, home, env));
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
