/**
 * The socket reader against a real HTTP server on a Unix socket that goes away while a command
 * still reads: the reader then opens the home itself — once, however many reads find the socket
 * gone at the same moment — and closing the reader closes what it opened. A home left open keeps
 * its embedded database's timers, so the command would never exit (a `baton approve` that followed
 * a driving `baton run` did not, when the run's end and the snapshot's reads raced).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScopedRunStore } from '@baton/engine';
import { homeAccess, serveHomeSocket, storeWithRun, type HomeSocket } from './home-socket.test-support.js';
import { createRemoteReader } from './remote-reader.js';
import { createSocketReader } from './socket-reader.js';

let dir: string;
let store: ScopedRunStore;
let socket: HomeSocket;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-socket-reader-'));
  store = await storeWithRun();
  socket = await serveHomeSocket(dir, store);
});
afterEach(async () => {
  await socket.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Opening and reading take a while on a loaded machine. */
const TEST_MS = 60_000;

describe('createSocketReader', () => {
  it(
    'opens the home once when reads made together find the socket gone, and closing closes it',
    async () => {
      const { access, opened } = homeAccess(dir, store);
      const reader = createSocketReader(createRemoteReader(socket.client), access);
      expect((await reader.getRun('r1'))?.status).toBe('running');
      expect(reader.direct()).toBe(false);

      await socket.stop();
      // As a snapshot reads: the usage and the outputs at once, and both find the socket gone.
      const [state, usage, events] = await Promise.all([
        reader.getRun('r1'),
        reader.modelUsage('r1'),
        reader.listEvents('r1'),
      ]);
      expect(state?.status).toBe('running');
      expect(usage).toEqual(await store.modelUsage('r1'));
      expect(events).toEqual(await store.listEvents('r1'));
      expect(reader.direct()).toBe(true);
      expect(opened).toEqual([{ how: 'lock', closed: false }]);

      await reader.close();
      expect(opened).toEqual([{ how: 'lock', closed: true }]);
    },
    TEST_MS,
  );

  it(
    'waits for the stopping holder to release the home rather than reading a copy of it',
    async () => {
      const { access, opened } = homeAccess(dir, store, 3);
      const reader = createSocketReader(createRemoteReader(socket.client), access, { lockedRetryMs: 1 });
      await socket.stop();

      expect((await reader.getRun('r1'))?.status).toBe('running');
      expect(opened).toEqual([{ how: 'lock', closed: false }]);
      await reader.close();
      expect(opened).toEqual([{ how: 'lock', closed: true }]);
    },
    TEST_MS,
  );

  it(
    'reads a copy of the home when another process keeps holding it',
    async () => {
      const { access, opened } = homeAccess(dir, store, Number.POSITIVE_INFINITY);
      const reader = createSocketReader(createRemoteReader(socket.client), access, { lockedRetryMs: 1 });
      await socket.stop();

      expect((await reader.getRun('r1'))?.status).toBe('running');
      expect(opened).toEqual([{ how: 'copy', closed: false }]);
      await reader.close();
      expect(opened).toEqual([{ how: 'copy', closed: true }]);
    },
    TEST_MS,
  );
});
