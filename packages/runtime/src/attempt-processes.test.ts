import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAttemptProcesses, StopOutcome } from './attempt-processes.js';
import type { ProcessIdentity } from './process-identity.js';
import { waitForExit } from './testing/process-alive.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-attempt-processes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = { runId: 'run-1', phaseId: 'build', attempt: 1 };
const recorded: ProcessIdentity = { host: hostname(), pid: 4242, startTime: '1000', bootId: 'boot-a' };

/** A fake process table: `now` is what the probe answers; signals are only written down. */
function fakeProcesses(now: ProcessIdentity | undefined, options: { alive?: boolean } = {}) {
  const signals: string[] = [];
  let current: ProcessIdentity | undefined = recorded;
  const processes = createAttemptProcesses({
    dir,
    killGraceMs: 50,
    probe: () => current,
    killGroup: (pgid, signal) => void signals.push(`${signal} -${pgid}`),
    groupAlive: () => Promise.resolve(options.alive ?? false),
  });
  return {
    signals,
    /** Records the attempt while the probe answers `recorded`, then makes it answer `now`. */
    record() {
      processes.started(key, recorded.pid);
      current = now;
    },
    processes,
  };
}

describe('createAttemptProcesses', () => {
  it('stops the process group of an abandoned attempt, background children included', async () => {
    const childPid = join(dir, 'child.pid');
    const shell = spawn('sh', ['-c', `sleep 1000 & echo $! > '${childPid}'; wait`], {
      detached: true,
      stdio: 'ignore',
    });
    const processes = createAttemptProcesses({ dir: join(dir, 'records') });
    processes.started(key, shell.pid!);
    const deadline = Date.now() + 10_000;
    while (!/^\d+\n$/.test(await readFile(childPid, 'utf8').catch(() => ''))) {
      if (Date.now() > deadline) throw new Error('the shell did not start its child');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sleeper = Number((await readFile(childPid, 'utf8')).trim());

    expect(await processes.stopAbandoned(key)).toBe(StopOutcome.stopped);
    expect(await waitForExit(sleeper, 5000)).toBe(true);
    expect(await waitForExit(shell.pid!, 5000)).toBe(true);
    // The record went with the processes.
    expect(await readdir(join(dir, 'records'))).toEqual([]);
  });

  it('records the leader with its start time, host and boot on Linux', async () => {
    if (process.platform !== 'linux') return;
    const processes = createAttemptProcesses({ dir });
    processes.started(key, process.pid);
    const [name] = await readdir(dir);
    const record = JSON.parse(await readFile(join(dir, name!), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ ...key, pid: process.pid, pgid: process.pid, host: hostname() });
    expect(record.startTime).toMatch(/^\d+$/);
    await processes.ended(key);
    expect(await readdir(dir)).toEqual([]);
  });

  it('signals SIGTERM, and SIGKILL only when the group outlives the grace', async () => {
    const quick = fakeProcesses(recorded);
    quick.record();
    expect(await quick.processes.stopAbandoned(key)).toBe(StopOutcome.stopped);
    expect(quick.signals).toEqual(['SIGTERM -4242']);

    const stubborn = fakeProcesses(recorded, { alive: true });
    stubborn.record();
    expect(await stubborn.processes.stopAbandoned(key)).toBe(StopOutcome.stopped);
    expect(stubborn.signals).toEqual(['SIGTERM -4242', 'SIGKILL -4242']);
  });

  it('does not kill a pid whose start time differs: the pid now belongs to another process', async () => {
    const reused = fakeProcesses({ ...recorded, startTime: '2000' });
    reused.record();
    expect(await reused.processes.stopAbandoned(key)).toBe(StopOutcome.gone);
    expect(reused.signals).toEqual([]);
    // The record is forgotten either way.
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not kill after a reboot, on another host, or without a start time to compare', async () => {
    const cases: [ProcessIdentity, StopOutcome][] = [
      [{ ...recorded, bootId: 'boot-b' }, StopOutcome.gone],
      [{ ...recorded, host: 'elsewhere' }, StopOutcome.otherHost],
      [{ host: recorded.host, pid: recorded.pid }, StopOutcome.unknown],
    ];
    for (const [now, outcome] of cases) {
      const fake = fakeProcesses(now);
      fake.record();
      expect(await fake.processes.stopAbandoned(key)).toBe(outcome);
      expect(fake.signals).toEqual([]);
    }
  });

  it('never signals a group a corrupt record names: group 0 (its own), a pid that is not its group, or pid 1', async () => {
    for (const corrupt of [{ pgid: 0 }, { pgid: 4243 }, { pid: 1, pgid: 1 }]) {
      const fake = fakeProcesses(recorded);
      fake.record();
      const [file] = await readdir(dir);
      const record = JSON.parse(await readFile(join(dir, file!), 'utf8')) as Record<string, unknown>;
      await writeFile(join(dir, file!), JSON.stringify({ ...record, ...corrupt }));
      expect(await fake.processes.stopAbandoned(key)).toBe(StopOutcome.none);
      expect(fake.signals).toEqual([]);
      await rm(join(dir, file!), { force: true });
    }
  });

  it('does nothing for an attempt that ended normally, or whose process is gone', async () => {
    const ended = fakeProcesses(recorded);
    ended.record();
    await ended.processes.ended(key);
    expect(await ended.processes.stopAbandoned(key)).toBe(StopOutcome.none);

    const gone = fakeProcesses(undefined);
    gone.record();
    expect(await gone.processes.stopAbandoned(key)).toBe(StopOutcome.gone);
    expect([...ended.signals, ...gone.signals]).toEqual([]);
  });

  it('records nothing for a process that already exited', async () => {
    const processes = createAttemptProcesses({ dir, probe: () => undefined });
    processes.started(key, 4242);
    expect(existsSync(dir) ? await readdir(dir) : []).toEqual([]);
  });
});
