import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireHomeLock } from './home-lock.js';

let dir: string;
let home: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-lock-test-'));
  home = join(dir, 'home', '.baton');
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** A live process that is not a baton process. */
function liveProcess(): number {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const homeLockUrl = new URL('./home-lock.ts', import.meta.url).href;

/**
 * Starts another Node process that acquires the lock and prints the outcome as one JSON line; it
 * keeps the lock until `doneFile` exists, then exits normally without releasing it.
 */
async function otherProcess(
  doneFile?: string,
): Promise<{ child: ChildProcess; outcome: Record<string, unknown> }> {
  const script = join(dir, 'acquire.mts');
  await writeFile(
    script,
    [
      `import { existsSync } from 'node:fs';`,
      `import { acquireHomeLock } from ${JSON.stringify(homeLockUrl)};`,
      `const [home, doneFile] = process.argv.slice(2);`,
      `const lock = await acquireHomeLock(home);`,
      `console.log(JSON.stringify(lock.ok ? { ok: true, pid: process.pid } : { ok: false, ownerPid: lock.ownerPid, message: lock.message }));`,
      `while (doneFile && !existsSync(doneFile)) await new Promise((resolve) => setTimeout(resolve, 20));`,
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, home, ...(doneFile ? [doneFile] : [])], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, outcome: JSON.parse(line) as Record<string, unknown> };
}

describe('acquireHomeLock', () => {
  it('creates the home directory and a lock file holding this process id, removed on release', async () => {
    const lock = await acquireHomeLock(home);
    expect(lock.ok).toBe(true);
    if (!lock.ok) return;
    expect(await readFile(join(home, 'baton.lock'), 'utf8')).toBe(`${process.pid}\n`);
    expect(await readdir(home)).toEqual(['baton.lock']);
    await lock.release();
    await lock.release();
    expect(existsSync(join(home, 'baton.lock'))).toBe(false);
  });

  it('blocks a second process while held and names the owner pid', async () => {
    const lock = await acquireHomeLock(home);
    expect(lock.ok).toBe(true);
    const { child, outcome } = await otherProcess();
    expect(outcome).toEqual({
      ok: false,
      ownerPid: process.pid,
      message: `${home} is in use by another baton process (pid ${process.pid}); wait for it to finish or stop it`,
    });
    await once(child, 'exit');
    if (lock.ok) await lock.release();
  });

  it('lets another process take the lock after release, which it drops when it exits', async () => {
    const lock = await acquireHomeLock(home);
    if (lock.ok) await lock.release();
    const doneFile = join(dir, 'done');
    const { child, outcome } = await otherProcess(doneFile);
    expect(outcome).toEqual({ ok: true, pid: child.pid });

    const blocked = await acquireHomeLock(home);
    expect(blocked).toMatchObject({ ok: false, ownerPid: child.pid });

    await writeFile(doneFile, '');
    await once(child, 'exit');
    expect(existsSync(join(home, 'baton.lock'))).toBe(false);
    const again = await acquireHomeLock(home);
    expect(again.ok).toBe(true);
    if (again.ok) await again.release();
  });

  it('refuses a lock whose owner is alive', async () => {
    const pid = liveProcess();
    await acquireHomeLock(home).then((lock) => (lock.ok ? lock.release() : undefined));
    await writeFile(join(home, 'baton.lock'), `${pid}\n`);
    const lock = await acquireHomeLock(home);
    expect(lock).toMatchObject({ ok: false, ownerPid: pid });
    expect(!lock.ok && lock.message).toContain(`(pid ${pid})`);
  });

  it('takes over a stale lock whose owner is gone', async () => {
    const pid = await deadPid();
    await acquireHomeLock(home).then((lock) => (lock.ok ? lock.release() : undefined));
    await writeFile(join(home, 'baton.lock'), `${pid}\n`);
    const lock = await acquireHomeLock(home);
    expect(lock.ok).toBe(true);
    expect(await readFile(join(home, 'baton.lock'), 'utf8')).toBe(`${process.pid}\n`);
    expect(await readdir(home)).toEqual(['baton.lock']);
    if (lock.ok) await lock.release();
  });

  it('takes over a lock file that holds no pid', async () => {
    await acquireHomeLock(home).then((lock) => (lock.ok ? lock.release() : undefined));
    await writeFile(join(home, 'baton.lock'), 'garbage');
    const lock = await acquireHomeLock(home);
    expect(lock.ok).toBe(true);
    if (lock.ok) await lock.release();
  });

  it('refuses a second acquisition in the same process until the first is released', async () => {
    const [first, second] = await Promise.all([acquireHomeLock(home), acquireHomeLock(home)]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const held = first.ok ? first : second;
    if (held.ok) await held.release();
    const third = await acquireHomeLock(home);
    expect(third.ok).toBe(true);
    if (third.ok) await third.release();
  });

  it('does not remove a lock that is no longer its own on release', async () => {
    const lock = await acquireHomeLock(home);
    if (!lock.ok) throw new Error('not acquired');
    const pid = liveProcess();
    await rm(lock.lockPath);
    await writeFile(lock.lockPath, `${pid}\n`);
    await lock.release();
    expect(await readFile(lock.lockPath, 'utf8')).toBe(`${pid}\n`);
  });

  it('takes over a stale lock even when a process died in the middle of taking it over', async () => {
    const dead = await deadPid();
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'baton.lock'), `${dead}\n`);
    await writeFile(join(home, 'baton.lock.takeover'), `${dead}\n`);
    const lock = await acquireHomeLock(home);
    expect(lock.ok).toBe(true);
    expect(await readFile(join(home, 'baton.lock'), 'utf8')).toBe(`${process.pid}\n`);
    expect(await readdir(home)).toEqual(['baton.lock']);
    if (lock.ok) await lock.release();
  });

  it('gives a stale lock to exactly one of several processes racing for it', async () => {
    await acquireHomeLock(home).then((lock) => (lock.ok ? lock.release() : undefined));
    await writeFile(join(home, 'baton.lock'), `${await deadPid()}\n`);
    const doneFile = join(dir, 'done');
    const racers = await Promise.all([1, 2, 3, 4].map(() => otherProcess(doneFile)));
    const winners = racers.filter((racer) => racer.outcome.ok === true);
    expect(winners).toHaveLength(1);
    for (const racer of racers) {
      if (racer !== winners[0]) expect(racer.outcome.ownerPid).toBe(winners[0]!.child.pid);
    }
    await writeFile(doneFile, '');
    await Promise.all(racers.map((racer) => once(racer.child, 'exit')));
    expect(await readdir(home)).toEqual([]);
  }, 20_000);
});
