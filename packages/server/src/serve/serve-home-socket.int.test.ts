/**
 * A driving command's socket (`serveHomeSocket`): the API on the home's socket alone, on the
 * database and store the command holds, named in server.json without a URL. A holder that
 * executes one run refuses what needs another run executed (409 HOME_BUSY); one that executes
 * every run (`baton worker`) refuses nothing. Stopping leaves neither server.json nor the socket;
 * a file a dead holder left is ignored, and removed by the next process that takes the home.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunInput, ScopedRunStore } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { createSqlRunStore } from '@baton/store';
import { readHomeServerFile } from './home-server-file.js';
import { serveHomeSocket } from './serve-home-socket.js';
import { openHomeDatabase, type HomeDatabase } from './server-database.js';

let home: string;
let held: HomeDatabase | undefined;
let store: ScopedRunStore;

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'bhs-'));
  held = await openHomeDatabase(home);
  store = createSqlRunStore(held.db);
  for (const runId of ['driven-1', 'other-1']) {
    const created = await store.createRun(
      {
        type: 'create',
        runId,
        workflow: testWorkflow('ask', testPhase('ask', { kind: 'human' })),
        inputs: {},
        by: 'test',
      } as Extract<RunInput, { type: 'create' }>,
      Date.now(),
    );
    expect(created.ok).toBe(true);
  }
});
afterEach(async () => {
  await store.close();
  await held?.release();
  held = undefined;
  await rm(home, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** A request over the home's socket: the home's owner. */
function overSocket(socket: string, method: string, pathname: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        method,
        path: pathname,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text === '' ? {} : (JSON.parse(text) as Answer['body']),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('the socket of a command that drives one run', () => {
  it('is named in server.json without a URL, refuses with 409 HOME_BUSY what needs another run executed, passes the rest, and leaves nothing behind', async () => {
    const observed: string[] = [];
    const server = await serveHomeSocket({
      home,
      db: held!.db,
      store,
      log: pino({ level: 'silent' }),
      command: 'baton run',
      executes: 'one',
      observe: (runId) => observed.push(runId),
    });
    const call = (method: string, pathname: string, body?: unknown) =>
      overSocket(server.socket, method, pathname, body);
    try {
      const info = await readHomeServerFile(home);
      expect(info).toMatchObject({
        pid: process.pid,
        socket: server.socket,
        command: 'baton run',
        onlyRun: null,
      });
      expect(info?.url).toBeUndefined();
      // Before it names its run, no run may go on through it.
      const early = await call('POST', '/api/runs/driven-1/phases/ask/submit', { content: 'early' });
      expect(early.status).toBe(409);
      expect(early.body.error?.message).toContain('which is starting a run of its own');

      await server.drive('driven-1');
      expect(await readHomeServerFile(home)).toMatchObject({ onlyRun: 'driven-1' });

      const busy = await call('POST', '/api/runs/other-1/phases/ask/submit', { content: 'x' });
      expect(busy).toMatchObject({ status: 409, body: { error: { code: 'HOME_BUSY' } } });
      expect(busy.body.error?.message).toMatch(/^run other-1 cannot go on here: /);
      expect(busy.body.error?.message).toContain(
        ` is held by \`baton run\` (pid ${process.pid}), which executes only run driven-1 — wait for it to end, or stop it and start \`baton serve\` to run several at once`,
      );
      for (const [method, pathname, body] of [
        ['POST', '/api/runs/other-1/cancel', {}],
        ['POST', '/api/runs/other-1/pause', {}],
        ['POST', '/api/runs/other-1/budget', { tokens: 1000 }],
        ['POST', '/api/runs/driven-1/fork', {}],
      ] as const) {
        const answer = await call(method, pathname, body);
        expect(answer.body.error?.code, `${method} ${pathname}`).toBe('HOME_BUSY');
      }
      const uploaded = await call('POST', '/api/workflows', {
        id: 'people',
        phases: [{ id: 'ask', kind: 'human' }],
      });
      expect(uploaded.status).toBe(201);
      const started = await call('POST', '/api/runs', { workflow: 'people' });
      expect(started).toMatchObject({ status: 409, body: { error: { code: 'HOME_BUSY' } } });
      expect(started.body.error?.message).toMatch(/^cannot start a run here: /);

      // Reads of any run, a title or the deletion of another run pass.
      expect((await call('GET', '/api/runs/other-1')).status).toBe(200);
      expect((await call('GET', '/api/runs')).body).toMatchObject({ runs: [{}, {}] });
      expect((await call('PATCH', '/api/runs/other-1', { title: 'Later' })).body).toMatchObject({
        title: 'Later',
      });
      expect(observed).toEqual(['other-1']);

      // The driven run's inputs pass, and its driver hears of them.
      const submitted = await call('POST', '/api/runs/driven-1/phases/ask/submit', { content: 'yes' });
      expect(submitted.status).toBe(200);
      expect(observed).toEqual(['other-1', 'driven-1']);
      const deleteDriven = await call('DELETE', '/api/runs/driven-1');
      expect(deleteDriven).toMatchObject({ status: 409, body: { error: { code: 'INVALID_TRANSITION' } } });
      expect((await call('DELETE', '/api/runs/other-1')).status).toBe(204);
    } finally {
      await server.stop();
    }
    expect(await readHomeServerFile(home)).toBeUndefined();
    expect(await exists(path.join(home, 'server.json'))).toBe(false);
    expect(await exists(server.socket)).toBe(false);
  });
});

describe('the socket of a command that executes every run', () => {
  it('refuses nothing: a run started through it is created', async () => {
    const server = await serveHomeSocket({
      home,
      db: held!.db,
      store,
      log: pino({ level: 'silent' }),
      command: 'baton worker',
      executes: 'all',
    });
    try {
      expect(await readHomeServerFile(home)).toMatchObject({ command: 'baton worker' });
      expect(await readHomeServerFile(home)).not.toHaveProperty('onlyRun');
      await overSocket(server.socket, 'POST', '/api/workflows', {
        id: 'people',
        phases: [{ id: 'ask', kind: 'human' }],
      });
      expect((await overSocket(server.socket, 'POST', '/api/runs', { workflow: 'people' })).status).toBe(201);
      const cancelled = await overSocket(server.socket, 'POST', '/api/runs/other-1/cancel', {});
      expect(cancelled.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('a server.json its holder left behind', () => {
  it('is ignored when its process is gone or does not hold the lock, and removed by the next holder of the home', async () => {
    const server = await serveHomeSocket({
      home,
      db: held!.db,
      store,
      log: pino({ level: 'silent' }),
      command: 'baton run',
      executes: 'one',
    });
    const file = path.join(home, 'server.json');
    const info = await readHomeServerFile(home);
    expect(info).toBeDefined();
    try {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      await writeFile(file, JSON.stringify({ ...info, pid: dead }));
      expect(await readHomeServerFile(home)).toBeUndefined();
      // A live process that does not hold the home's lock (its pid reused, or a stale file).
      await writeFile(file, JSON.stringify({ ...info, pid: process.ppid }));
      expect(await readHomeServerFile(home)).toBeUndefined();
    } finally {
      await server.stop();
    }
    // As a crash leaves them: the file, the socket, the lock of a dead process.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await store.close();
    await held!.release();
    held = undefined;
    await writeFile(file, JSON.stringify({ ...info, pid: dead }));
    await writeFile(path.join(home, 'baton.sock'), '');
    await writeFile(path.join(home, 'baton.lock'), `${dead}\n`);
    expect(await readHomeServerFile(home)).toBeUndefined();
    held = await openHomeDatabase(home);
    store = createSqlRunStore(held.db);
    expect(await exists(file)).toBe(false);
    expect(await exists(path.join(home, 'baton.sock'))).toBe(false);
  });
});
