import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { groupAlive, probeProcess, sameProcess, type ProcessIdentity } from './process-identity.js';
import { waitForExit } from './testing/process-alive.js';

const identity: ProcessIdentity = { host: 'a', pid: 10, startTime: '500', bootId: 'b' };

describe('sameProcess', () => {
  it('is the same process only with the same host, boot, pid and start time', () => {
    expect(sameProcess(identity, { ...identity })).toBe(true);
    expect(sameProcess(identity, { ...identity, startTime: '501' })).toBe(false);
    expect(sameProcess(identity, { ...identity, pid: 11 })).toBe(false);
    expect(sameProcess(identity, { ...identity, host: 'other' })).toBe(false);
    expect(sameProcess(identity, { ...identity, bootId: 'rebooted' })).toBe(false);
  });

  it('never says yes without a start time on both sides', () => {
    const { startTime: _, ...unknown } = identity;
    expect(sameProcess(unknown, unknown)).toBe(false);
    expect(sameProcess(identity, unknown)).toBe(false);
  });
});

describe.runIf(process.platform === 'linux')('probeProcess on Linux', () => {
  it('reads the start time of a live process, the same at every read', () => {
    const first = probeProcess(process.pid);
    expect(first).toMatchObject({
      host: hostname(),
      pid: process.pid,
      startTime: expect.stringMatching(/^\d+$/),
    });
    expect(sameProcess(first!, probeProcess(process.pid)!)).toBe(true);
  });

  it('tells two processes apart, and finds nothing once a process exited', async () => {
    const child = spawn('sleep', ['1000'], { stdio: 'ignore', detached: true });
    const probed = probeProcess(child.pid!);
    expect(probed?.startTime).toMatch(/^\d+$/);
    expect(await groupAlive(child.pid!)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitForExit(child.pid!, 5000)).toBe(true);
    expect(probeProcess(child.pid!)).toBeUndefined();
    expect(await groupAlive(child.pid!)).toBe(false);
  });
});
