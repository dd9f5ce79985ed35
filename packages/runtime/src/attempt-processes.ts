import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskKey } from '@baton/engine';
import {
  groupAlive,
  probeProcess,
  sameProcess,
  type ProcessIdentity,
  type ProcessProbe,
} from './process-identity.js';

/**
 * The processes an attempt started, kept where a later process on the same machine finds them, so
 * that recovering an abandoned attempt (its driving process was killed; the lease expired) can stop
 * what the attempt left running — a tool's process group outlives a `kill -9` of its `baton`
 * (reparented to PID 1). Nothing is in the database: a record is a JSON file per attempt.
 */
export interface AttemptProcesses {
  /**
   * Records that `task`'s attempt runs the process group led by `pid` — synchronously, so that
   * called right after the spawn, the record exists before anything else can happen in this
   * process. Never fails: an attempt that cannot be recorded only cannot be stopped later.
   */
  started(task: TaskKey, pid: number): void;
  /** Forgets the attempt's record (it ended and stopped its own group). Never fails. */
  ended(task: TaskKey): Promise<void>;
  /**
   * Stops the process group an abandoned attempt left behind — SIGTERM, then SIGKILL after the
   * grace — when its leader is provably the recorded process (same host, boot, pid and start
   * time); otherwise leaves everything alone. Forgets the record either way. Never fails.
   */
  stopAbandoned(task: TaskKey): Promise<StopOutcome>;
}

/** What {@link AttemptProcesses.stopAbandoned} found. */
export const StopOutcome = {
  /** Nothing recorded for the attempt (it ran no tool, ended normally, or was never recorded). */
  none: 'none',
  /** The record names another machine: its processes are not this one's to stop. */
  otherHost: 'other_host',
  /** The recorded process is gone (or its pid now belongs to another process). */
  gone: 'gone',
  /** The start time could not be read (not Linux): not stopped rather than stopped on a guess. */
  unknown: 'unknown',
  stopped: 'stopped',
} as const;
export type StopOutcome = (typeof StopOutcome)[keyof typeof StopOutcome];

/** One record: the attempt, and the identity of its group's leader. */
export interface AttemptProcessRecord extends ProcessIdentity {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  /** The process group to signal (the tool runs in its own group: the leader's pid). */
  readonly pgid: number;
}

/** Options of {@link createAttemptProcesses}. */
export interface AttemptProcessesOptions {
  /** Where the records live (`$BATON_HOME/attempts` for the CLI); created when first needed. */
  readonly dir: string;
  /** Time between SIGTERM and SIGKILL (2 s by default). */
  readonly killGraceMs?: number;
  /** Reads a process's identity (the real `/proc` by default; tests pass a fake). */
  readonly probe?: ProcessProbe;
  /** Signals a process group (`process.kill(-pgid, signal)` by default). */
  readonly killGroup?: (pgid: number, signal: NodeJS.Signals) => void;
  /** Whether a group still has a running member ({@link groupAlive} by default). */
  readonly groupAlive?: (pgid: number) => Promise<boolean>;
}

/** How often to look whether a signalled group has exited. */
const POLL_MS = 25;

/** Process records as files in `options.dir`, one per attempt. */
export function createAttemptProcesses(options: AttemptProcessesOptions): AttemptProcesses {
  const { dir } = options;
  const probe = options.probe ?? probeProcess;
  const killGroup = options.killGroup ?? signalGroup;
  const isGroupAlive = options.groupAlive ?? groupAlive;
  const killGraceMs = options.killGraceMs ?? 2000;
  const fileOf = (task: TaskKey) => join(dir, `${recordName(task)}.json`);

  const forget = (task: TaskKey) => rm(fileOf(task), { force: true }).catch(() => undefined);

  return {
    started(task, pid) {
      try {
        const identity = probe(pid);
        // Exited already: runProcessGroup stops what it left in the group itself.
        if (identity === undefined) return;
        const record: AttemptProcessRecord = {
          runId: task.runId,
          phaseId: task.phaseId,
          attempt: task.attempt,
          pgid: pid,
          ...identity,
        };
        mkdirSync(dir, { recursive: true });
        // Written aside, then renamed: a reader never sees half a record.
        const file = fileOf(task);
        const partial = `${file}.${process.pid}.tmp`;
        writeFileSync(partial, `${JSON.stringify(record)}\n`);
        renameSync(partial, file);
      } catch {
        // Unrecorded: a later recovery cannot stop this attempt's processes, nothing worse.
      }
    },

    ended: forget,

    async stopAbandoned(task) {
      const record = await readRecord(fileOf(task));
      if (record === undefined) return StopOutcome.none;
      try {
        const current = probe(record.pid);
        if (current === undefined) return StopOutcome.gone;
        if (current.host !== record.host) return StopOutcome.otherHost;
        if (record.startTime === undefined || current.startTime === undefined) return StopOutcome.unknown;
        if (!sameProcess(record, current)) return StopOutcome.gone;
        killGroup(record.pgid, 'SIGTERM');
        // While the group has a member its id cannot be reused, so SIGKILL reaches the same group.
        if (!(await groupGone(record.pgid, isGroupAlive, killGraceMs))) killGroup(record.pgid, 'SIGKILL');
        return StopOutcome.stopped;
      } catch {
        return StopOutcome.gone;
      } finally {
        await forget(task);
      }
    },
  };
}

/** A file name for the attempt: a hash, so any run or phase id gives a short, safe name. */
function recordName(task: TaskKey): string {
  return createHash('sha256')
    .update(`${task.runId}\u0000${task.phaseId}\u0000${task.attempt}`)
    .digest('hex')
    .slice(0, 32);
}

async function readRecord(file: string): Promise<AttemptProcessRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as Partial<AttemptProcessRecord>;
    // Only a group this handler started qualifies: its leader's pid is the group id, and never 0 or 1
    // (a signal to group 0 would reach the recovering process's own group).
    if (
      !Number.isInteger(record.pid) ||
      record.pgid !== record.pid ||
      (record.pid ?? 0) <= 1 ||
      typeof record.host !== 'string'
    )
      return undefined;
    return record as AttemptProcessRecord;
  } catch {
    return undefined;
  }
}

/** Waits up to `graceMs` for the group to have no member left; true once it has none. */
async function groupGone(
  pgid: number,
  alive: (pgid: number) => Promise<boolean>,
  graceMs: number,
): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    if (!(await alive(pgid))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: no member left. EPERM: not ours to signal.
  }
}
