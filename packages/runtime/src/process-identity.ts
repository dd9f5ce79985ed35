import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * What tells one process apart from a later one that got the same pid: the machine (host name and,
 * on Linux, the boot id) and the moment the process started (field 22 of `/proc/PID/stat`, in
 * clock ticks since boot). A pid alone is reused by the kernel; a pid with its start time is not.
 */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  /** Undefined where it cannot be read (not Linux): such a process is never taken for the same. */
  readonly startTime?: string;
  readonly bootId?: string;
}

/** Reads a process's identity; undefined when there is no such process. */
export type ProcessProbe = (pid: number) => ProcessIdentity | undefined;

/**
 * The identity of `pid` on this machine, from `/proc` (Linux). Elsewhere, or when `/proc` is not
 * readable, the identity has no start time — and {@link sameProcess} then never says yes, so
 * nothing is killed on a guess. Undefined when the process does not exist (or is a zombie: it has
 * exited, its group can no longer be running anything of its own). Synchronous on purpose: a tool
 * is recorded in the same tick it is started, so a `baton` killed a moment later has recorded it.
 */
export const probeProcess: ProcessProbe = (pid) => {
  const host = hostname();
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return process.platform === 'linux' || !processExists(pid) ? undefined : { host, pid };
  }
  // The command name (field 2) is in parentheses and may contain spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  // Fields 3 onwards follow the name: field N is fields[N - 3].
  const startTime = fields[22 - 3];
  if (state === 'Z' || state === 'X' || startTime === undefined) return undefined;
  const bootId = readBootId();
  return { host, pid, startTime, ...(bootId === undefined ? {} : { bootId }) };
};

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * True only when `current` is provably the process `recorded` describes: same host, same boot,
 * same pid and the same start time. A missing start time on either side answers false.
 */
export function sameProcess(recorded: ProcessIdentity, current: ProcessIdentity): boolean {
  return (
    recorded.host === current.host &&
    recorded.pid === current.pid &&
    recorded.startTime !== undefined &&
    recorded.startTime === current.startTime &&
    recorded.bootId === current.bootId
  );
}

/**
 * Whether process group `pgid` still has a member that has not exited. On Linux the members are
 * found in `/proc` and zombies do not count (an exited process waits there until init reaps it,
 * which may take a while); elsewhere any member, zombie or not, counts.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3), fields[2] the process group (field 5).
    if (fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** Whether process `pid` exists (one of another user's counts: signalling it is refused, not failed). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
