/**
 * The CLI's follower against a real HTTP server (node:http) that answers the events route as a
 * server does: JSON pages, or with `Accept: text/event-stream` the run stream (or, as an older
 * server, JSON again). The events are the engine's, folded with its `applyEvent`. Through the
 * home's socket, the server goes away while the follower streams, as a driving `baton run` does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@baton/client';
import { foldEvents, type RunEvent, type ScopedRunStore } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { ProgressView } from '../progress-view.js';
import { homeAccess, serveHomeSocket, storeWithRun } from './home-socket.test-support.js';
import { createRemoteReader } from './remote-reader.js';
import { createRunFollower } from './run-follower.js';
import { createSocketReader } from './socket-reader.js';
import type { RemoteTarget } from './target.js';

const at = (seq: number) => 1_700_000_000_000 + seq;
/** A run of one phase: created, ready, started (it runs), then paused. */
const LOG: RunEvent[] = [
  {
    seq: 1,
    at: at(1),
    type: 'run_created',
    runId: 'r1',
    workflow: testWorkflow('w', testPhase('a')),
    fixtures: {},
    inputs: {},
    by: 'me',
  },
  { seq: 2, at: at(2), type: 'phase_ready', phaseId: 'a', attempt: 1 },
  { seq: 3, at: at(3), type: 'phase_started', phaseId: 'a', attempt: 1 },
  { seq: 4, at: at(4), type: 'run_paused', by: 'me' },
] as RunEvent[];

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server?.closeAllConnections();
  server = undefined;
});

/** Serves the log's first `paged` events as JSON; the rest only on the stream (or, `streams` false, never). */
async function serveRun(paged: number, streams: boolean) {
  const seen: { accept: string; lastEventId?: string }[] = [];
  server = createServer((request, response) => {
    const accept = request.headers.accept ?? '';
    const lastEventId = request.headers['last-event-id'] as string | undefined;
    seen.push({ accept, ...(lastEventId === undefined ? {} : { lastEventId }) });
    if (streams && accept.includes('text/event-stream')) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const progress = {
        type: 'phase_progress',
        runId: 'r1',
        phaseId: 'a',
        attempt: 1,
        at: at(3),
        text: 'typing',
      };
      response.write(
        `event: phase_progress\ndata: ${JSON.stringify({ ...progress, aliases: ['agent_progress'] })}\n\n`,
      );
      for (const event of LOG.filter((e) => e.seq > Number(lastEventId ?? 0)))
        response.write(
          `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event, aliases: [] })}\n\n`,
        );
      return; // open, as a real stream stays
    }
    const after = Number(new URL(request.url ?? '', 'http://x').searchParams.get('after') ?? 0);
    // Without a stream the rest of the log appears for the second read of pages.
    const known =
      streams || seen.filter((s) => !s.accept.includes('event-stream')).length < 2 ? paged : LOG.length;
    const events = LOG.slice(0, known).filter((e) => e.seq > after);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ events, lastEventId: String(known), more: false }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const client = createClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: 't',
  });
  const remote: RemoteTarget = {
    client,
    reader: createRemoteReader(client),
    where: 'the test server',
    via: 'url',
    holderGone: () => false,
    close: () => Promise.resolve(),
  };
  return { remote, seen, ...quietView() };
}

function quietView() {
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const view = new ProgressView(out as unknown as NodeJS.WriteStream, { live: false, color: false });
  return { view, printed: () => printed };
}

/**
 * Follows run r1 through a home's socket whose holder stops while the follower streams: before
 * stopping, `finish` records what the holder did last (its stream never carries it).
 */
async function followUntilHolderStops(finish: (store: ScopedRunStore) => Promise<void>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-follower-'));
  try {
    const store = await storeWithRun();
    const socket = await serveHomeSocket(dir, store);
    const { access, opened } = homeAccess(dir, store);
    const reader = createSocketReader(createRemoteReader(socket.client), access);
    const remote: RemoteTarget = {
      client: socket.client,
      reader,
      where: 'the test holder',
      via: 'socket',
      holderGone: () => reader.direct(),
      close: () => reader.close(),
    };
    const following = createRunFollower({
      remote,
      runId: 'r1',
      view: quietView().view,
      signal: new AbortController().signal,
    }).untilSettled();
    await vi.waitFor(() => expect(socket.streams()).toBe(1), { timeout: 30_000 });
    await finish(store);
    await socket.stop();
    const state = await following;
    const gone = remote.holderGone();
    await remote.close();
    return { state, gone, opened };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('createRunFollower', () => {
  it('reads the state, then folds the stream’s events from its seq into it until the run stops running', async () => {
    const { remote, seen, view } = await serveRun(3, true);
    const typed: string[] = [];
    const progress = view.progress.bind(view);
    view.progress = (task, update) => {
      typed.push(`${task.phaseId}#${task.attempt}: ${update.text ?? ''}`);
      progress(task, update);
    };
    const state = await createRunFollower({
      remote,
      runId: 'r1',
      view,
      signal: new AbortController().signal,
    }).untilSettled();
    expect(state).toEqual(foldEvents(undefined, LOG));
    expect(state.status).toBe('paused');
    expect(seen.at(-1)).toEqual({ accept: 'text/event-stream', lastEventId: '3' });
    expect(typed).toEqual(['a#1: typing']);
  });

  it('reads pages every 250 ms from a server that answers the stream with JSON (an older server)', async () => {
    const { remote, seen, view } = await serveRun(3, false);
    const state = await createRunFollower({
      remote,
      runId: 'r1',
      view,
      signal: new AbortController().signal,
    }).untilSettled();
    expect(state).toEqual(foldEvents(undefined, LOG));
    // One stream asked for, refused; pages read after.
    expect(seen.filter((s) => s.accept.includes('event-stream'))).toHaveLength(1);
  });

  it('stops at once when its signal aborts, answering the state as it is', async () => {
    const { remote, view } = await serveRun(3, true);
    const stop = new AbortController();
    stop.abort();
    const state = await createRunFollower({ remote, runId: 'r1', view, signal: stop.signal }).untilSettled();
    expect(state.status).toBe('running');
  });

  it('ends with the run’s end read from the home when the holder stops before its stream told of it', async () => {
    const { state, gone, opened } = await followUntilHolderStops(async (store) => {
      expect((await store.apply('r1', { type: 'pause', by: 'elsewhere' }, 2)).ok).toBe(true);
    });
    expect(state.status).toBe('paused');
    expect(gone).toBe(true);
    expect(opened).toEqual([{ how: 'lock', closed: true }]);
  }, 60_000);

  it('ends when the holder stops with the run still running, telling it is gone (the run is orphaned)', async () => {
    const { state, gone, opened } = await followUntilHolderStops(() => Promise.resolve());
    expect(state.status).toBe('running');
    expect(gone).toBe(true);
    expect(opened).toEqual([{ how: 'lock', closed: true }]);
  }, 60_000);
});
