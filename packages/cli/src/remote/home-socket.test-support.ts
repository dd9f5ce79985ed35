/**
 * For tests of what reads through the home's socket: a real HTTP server on a Unix socket
 * (node:http) serving a store's run routes as the holder of a home does — event pages, usage, and
 * with `Accept: text/event-stream` the run stream, left open as a real one stays — which the test
 * stops at the moment it chooses; and the home the reader opens once the socket is gone.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { createClient, type BatonClient } from '@baton/client';
import { unixSocketFetch } from '@baton/client/node';
import type { RunInput, ScopedRunStore } from '@baton/engine';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { RuntimeError, RuntimeErrorCode } from '@baton/runtime';
import type { Home } from '../home.js';
import type { HomeAccess } from './socket-reader.js';

/** A home's store with run `r1` in it: one tool phase, running. */
export async function storeWithRun(): Promise<ScopedRunStore> {
  const store = createInMemoryRunStore();
  const created = await store.createRun(
    {
      type: 'create',
      runId: 'r1',
      workflow: testWorkflow('w', testPhase('a')),
      inputs: {},
      by: 'test',
    } as Extract<RunInput, { type: 'create' }>,
    1,
  );
  if (!created.ok) throw new Error(created.error.message);
  return store;
}

export interface HomeSocket {
  /** A client over the socket, as `remoteTarget` makes. */
  readonly client: BatonClient;
  /** How many run streams were asked for. */
  streams(): number;
  /** The holder stops: no more listening, every connection closed, the socket file gone. */
  stop(): Promise<void>;
}

/** Serves `store`'s run `r1` on a socket in `dir`. */
export async function serveHomeSocket(dir: string, store: ScopedRunStore): Promise<HomeSocket> {
  const socket = path.join(dir, 'baton.sock');
  let streams = 0;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '', 'http://localhost');
    const json = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/runs/r1/events' && (request.headers.accept ?? '').includes('event-stream')) {
      streams++;
      const after = Number(request.headers['last-event-id'] ?? 0);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      void store.listEvents('r1', { afterSeq: after }).then((events) => {
        for (const event of events)
          response.write(
            `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event, aliases: [] })}\n\n`,
          );
      });
    } else if (url.pathname === '/api/runs/r1/events') {
      const after = Number(url.searchParams.get('after') ?? 0);
      void store
        .listEvents('r1', { afterSeq: after })
        .then((events) => json({ events, lastEventId: String(events.at(-1)?.seq ?? after), more: false }));
    } else if (url.pathname === '/api/runs/r1/usage') void store.modelUsage('r1').then(json);
    else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such route' } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  let stopping: Promise<void> | undefined;
  return {
    client: createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(socket) }),
    streams: () => streams,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** One home opened by the reader: how, and whether it was closed since. */
export interface OpenedHome {
  readonly how: 'lock' | 'copy';
  closed: boolean;
}

/**
 * Opens the home on `store` as the CLI does, recording every home opened. The lock is refused
 * (HOME_LOCKED, the stopping holder still has it) `lockedFor` times first.
 */
export function homeAccess(
  dir: string,
  store: ScopedRunStore,
  lockedFor = 0,
): { access: HomeAccess; opened: OpenedHome[] } {
  const opened: OpenedHome[] = [];
  let refusals = lockedFor;
  const open = (how: 'lock' | 'copy') => async (): Promise<Home> => {
    // Opening takes a while (the embedded database starts): time for other reads to fail too.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (how === 'lock' && refusals-- > 0)
      throw new RuntimeError(RuntimeErrorCode.homeLocked, 'the home is held by pid 1 (stopping)');
    const record: OpenedHome = { how, closed: false };
    opened.push(record);
    return {
      dir,
      store,
      embedded: true,
      close: () => {
        record.closed = true;
        return Promise.resolve();
      },
    };
  };
  return { access: { lock: open('lock'), copy: open('copy') }, opened };
}
