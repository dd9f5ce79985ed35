/**
 * Where the CPU went during a measurement, read from Linux's `/proc`: the served process's own
 * time (`/proc/PID/stat`), this process's (the load generator), and the whole machine's busy time
 * (`/proc/stat`) — on a shared 2-core machine the last says how much else was running. Elsewhere
 * than Linux every figure is null.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';

/** Linux's USER_HZ: `/proc` counts CPU time in hundredths of a second on every common platform. */
const TICKS_PER_SECOND = 100;

/** A point in time to measure from. */
export interface CpuMark {
  readonly at: number;
  readonly serverMs: number | null;
  readonly client: NodeJS.CpuUsage;
  readonly machine: { readonly busy: number; readonly total: number } | null;
  readonly loadAverage1: number;
}

/** CPU use between two marks, in percent of one core (server, client) or of all cores (machine). */
export interface CpuUse {
  /** The served process: 100 = one core busy the whole time. */
  readonly serverPercent: number | null;
  /** This process (autocannon): 100 = one core. */
  readonly clientPercent: number;
  /** The whole machine: 100 = every core busy. */
  readonly machineBusyPercent: number | null;
  /** The served process's CPU milliseconds. */
  readonly serverMs: number | null;
  /** The 1-minute load average when the measurement began. */
  readonly loadAverage1: number;
}

export async function cpuMark(serverPid: number): Promise<CpuMark> {
  return {
    at: performance.now(),
    serverMs: await processCpuMs(serverPid),
    client: process.cpuUsage(),
    machine: await machineTicks(),
    loadAverage1: loadavg()[0] ?? 0,
  };
}

export async function cpuSince(mark: CpuMark, serverPid: number): Promise<CpuUse> {
  const elapsedMs = performance.now() - mark.at;
  const serverNow = await processCpuMs(serverPid);
  const client = process.cpuUsage(mark.client);
  const machine = await machineTicks();
  const serverMs = serverNow === null || mark.serverMs === null ? null : serverNow - mark.serverMs;
  const percentOfCore = (ms: number) => Math.round((1000 * ms) / elapsedMs) / 10;
  let machineBusyPercent: number | null = null;
  if (machine !== null && mark.machine !== null) {
    const total = machine.total - mark.machine.total;
    machineBusyPercent =
      total > 0 ? Math.round((1000 * (machine.busy - mark.machine.busy)) / total) / 10 : null;
  }
  return {
    serverPercent: serverMs === null ? null : percentOfCore(serverMs),
    clientPercent: percentOfCore((client.user + client.system) / 1000),
    machineBusyPercent,
    serverMs,
    loadAverage1: Math.round(mark.loadAverage1 * 100) / 100,
  };
}

/** The 1-, 5- and 15-minute load averages, rounded, with the number of cores. */
export function loadAverage(): { readonly average: readonly number[]; readonly cpus: number } {
  return { average: loadavg().map((n) => Math.round(n * 100) / 100), cpus: availableParallelism() };
}

/** User + system CPU time of process `pid` in ms, or null when `/proc` cannot tell. */
async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing bracket.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The machine's busy and total CPU ticks since boot, or null off Linux. */
async function machineTicks(): Promise<{ busy: number; total: number } | null> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** The resident set of process `pid` in MB (`VmRSS` of `/proc/PID/status`), or null. */
export async function residentMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}
