/**
 * `client.runs.stream` against real HTTP servers (node:http) that write the run stream's frames
 * per docs/server.md and misbehave on purpose: drops mid-frame, early ends, replays, refusals,
 * silence — over TCP and over a Unix socket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type BatonClient } from './client.js';
import {
  eventFrame,
  frame,
  openStream,
  startSseServer,
  type SseConnection,
  type SseServer,
} from './sse-server.test-support.js';
import { thrown } from './thrown.test-support.js';
import type { RunStreamFrame } from './types/stream.js';
import { unixSocketFetch } from './unix-socket-fetch.js';

/** Reconnects at once, so the tests wait for no backoff. */
const FAST = { initialMs: 1, maxMs: 4 };

let server: SseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handle: (connection: SseConnection) => void): Promise<BatonClient> {
  server = await startSseServer(handle);
  return createClient({ baseUrl: server.url, token: 'secret' });
}

/** The first `count` frames of `frames`, then leaves the loop. */
async function take(frames: AsyncIterable<RunStreamFrame>, count: number): Promise<RunStreamFrame[]> {
  const taken: RunStreamFrame[] = [];
  if (count === 0) return taken;
  for await (const one of frames) {
    taken.push(one);
    if (taken.length === count) break;
  }
  return taken;
}

const seqs = (frames: RunStreamFrame[]) => frames.map((f) => (f.kind === 'event' ? f.event.seq : f.kind));

const SNAPSHOT = { id: 'r1', status: 'running', lastEventId: '2', phases: [] };

describe('client.runs.stream: what it sends and hands over', () => {
  it('asks for an event stream with the token, starts with the snapshot, then events with their aliases', async () => {
    const client = await serve(({ response }) => {
      openStream(response);
      response.write(': keepalive\n\n');
      response.write(frame({ id: 2, event: 'snapshot', data: { seq: 2, snapshot: SNAPSHOT } }));
      response.write(eventFrame(3, ['agent_start', 'phase_started']));
    });
    const frames = await take(client.runs.stream('r/1', { reconnect: FAST }), 2);
    expect(frames).toEqual([
      { kind: 'snapshot', seq: 2, snapshot: SNAPSHOT },
      {
        kind: 'event',
        seq: 3,
        event: { seq: 3, at: 1003, type: 'phase_started', phaseId: 'p', attempt: 1 },
        aliases: ['agent_start', 'phase_started'],
      },
    ]);
    const sent = server!.requests[0]!;
    expect(sent.url).toBe('/api/runs/r%2F1/events');
    expect(sent.headers).toMatchObject({ accept: 'text/event-stream', authorization: 'Bearer secret' });
    expect(sent.headers['last-event-id']).toBeUndefined();
  });

  it('resumes from lastEventId without a snapshot', async () => {
    const client = await serve(({ response }) => {
      openStream(response);
      response.write(eventFrame(8));
    });
    expect(seqs(await take(client.runs.stream('r1', { lastEventId: 7 }), 1))).toEqual([8]);
    expect(server!.requests[0]!.headers['last-event-id']).toBe('7');
  });

  it('hands over live progress and heartbeats (no id) without moving the resume point', async () => {
    const client = await serve(({ index, response }) => {
      openStream(response);
      if (index === 0) {
        response.write(eventFrame(1));
        response.write(
          frame({
            event: 'phase_progress',
            data: {
              type: 'phase_progress',
              runId: 'r1',
              phaseId: 'p',
              attempt: 1,
              at: 5,
              text: 'Hel',
              aliases: ['agent_progress'],
            },
          }),
        );
        response.write(
          frame({
            event: 'activity',
            data: { phaseId: 'p', attempt: 1, lastActivityAt: '2026-01-01T00:00:00.000Z' },
          }),
        );
        response.write(frame({ event: 'some_future_kind', data: {} }));
        response.end();
      } else response.write(eventFrame(2));
    });
    const frames = await take(client.runs.stream('r1', { reconnect: FAST }), 4);
    expect(frames.slice(1, 3)).toEqual([
      {
        kind: 'progress',
        progress: { type: 'phase_progress', runId: 'r1', phaseId: 'p', attempt: 1, at: 5, text: 'Hel' },
        aliases: ['agent_progress'],
      },
      { kind: 'activity', phaseId: 'p', attempt: 1, lastActivityAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(seqs(frames)).toEqual([1, 'progress', 'activity', 2]);
    expect(server!.requests[1]!.headers['last-event-id']).toBe('1');
  });
});

describe('client.runs.stream: resuming', () => {
  it('reconnects after a drop mid-frame from the last whole event, dropping the partial frame', async () => {
    const client = await serve(({ index, response }) => {
      openStream(response);
      if (index === 0) {
        response.write(eventFrame(1) + eventFrame(2));
        // Half of event 3, then the connection dies.
        response.write(eventFrame(3).slice(0, 20), () => response.destroy());
      } else response.write(eventFrame(3) + eventFrame(4));
    });
    const opens: unknown[] = [];
    const frames = await take(client.runs.stream('r1', { reconnect: FAST, onOpen: (o) => opens.push(o) }), 4);
    expect(seqs(frames)).toEqual([1, 2, 3, 4]);
    expect(server!.requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2']);
    expect(opens).toEqual([{ reconnects: 0 }, { lastEventId: '2', reconnects: 1 }]);
  });

  it('reconnects when the server closes the stream, and never hands over a seq twice', async () => {
    // Each connection ends after three events, and the server replays from too far back.
    const client = await serve(({ request, response }) => {
      openStream(response);
      const from = Math.max(0, Number(request.headers['last-event-id'] ?? 0) - 2);
      for (let seq = from + 1; seq <= from + 3; seq++) response.write(eventFrame(seq));
      response.end();
    });
    const frames = await take(client.runs.stream('r1', { reconnect: FAST }), 10);
    expect(seqs(frames)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server!.requests.length).toBeGreaterThan(4);
  });

  it('follows the server’s retry: (a default delay of a minute would stall the test)', async () => {
    const client = await serve(({ index, response }) => {
      openStream(response);
      if (index === 0) {
        response.end(`retry: 1\n\n${eventFrame(1)}`);
      } else response.write(eventFrame(2));
    });
    const stream = client.runs.stream('r1', { reconnect: { initialMs: 60_000 } });
    expect(seqs(await take(stream, 2))).toEqual([1, 2]);
  });

  it('retries a 503, then streams', async () => {
    const client = await serve(({ index, response }) => {
      if (index < 2) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end('{"error":{"code":"NOT_READY","message":"starting"}}');
        return;
      }
      openStream(response);
      response.write(eventFrame(1));
    });
    const retries: number[] = [];
    const stream = client.runs.stream('r1', {
      reconnect: FAST,
      onRetry: (r) => retries.push(r.error.status),
    });
    expect(seqs(await take(stream, 1))).toEqual([1]);
    expect(retries).toEqual([503, 503]);
  });

  it('replaces a connection that goes silent', async () => {
    const client = await serve(({ index, response }) => {
      openStream(response);
      if (index > 0) response.write(eventFrame(1));
    });
    const stream = client.runs.stream('r1', { reconnect: { ...FAST, idleMs: 50 } });
    expect(seqs(await take(stream, 1))).toEqual([1]);
    await server!.closed(0);
  });
});

describe('client.runs.stream: ending', () => {
  it('ends with the typed error of a 404, without trying again', async () => {
    const client = await serve(({ response }) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"RUN_NOT_FOUND","message":"no run \\"r1\\""}}');
    });
    const error = await thrown(() => take(client.runs.stream('r1', { reconnect: FAST }), 1));
    expect(error).toMatchObject({ status: 404, code: 'RUN_NOT_FOUND', message: 'no run "r1"' });
    expect(server!.requests).toHaveLength(1);
  });

  it('ends with UNAUTHENTICATED on a 401', async () => {
    const client = await serve(({ response }) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"UNAUTHENTICATED","message":"sign in"}}');
    });
    expect(await thrown(() => take(client.runs.stream('r1'), 1))).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('says STREAM_UNSUPPORTED when the server answers the events route with JSON', async () => {
    const client = await serve(({ response }) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"events":[],"lastEventId":"0","more":false}');
    });
    expect(await thrown(() => take(client.runs.stream('r1'), 1))).toMatchObject({
      code: 'STREAM_UNSUPPORTED',
    });
  });

  it('gives up with UNREACHABLE after reconnect.attempts failed connections in a row', async () => {
    const client = await serve(({ response }) => response.destroy());
    const retries: string[] = [];
    const error = await thrown(() =>
      take(
        client.runs.stream('r1', {
          reconnect: { ...FAST, attempts: 3 },
          onRetry: (r) => retries.push(r.error.code),
        }),
        1,
      ),
    );
    expect(error.code).toBe('UNREACHABLE');
    expect(server!.requests).toHaveLength(3);
    expect(retries).toEqual(['UNREACHABLE', 'UNREACHABLE']);
  });

  it('ends quietly when its signal aborts, and closes the connection', async () => {
    const client = await serve(({ response }) => {
      openStream(response);
      response.write(eventFrame(1));
    });
    const controller = new AbortController();
    const frames: RunStreamFrame[] = [];
    for await (const one of client.runs.stream('r1', { signal: controller.signal })) {
      frames.push(one);
      controller.abort();
    }
    expect(seqs(frames)).toEqual([1]);
    await server!.closed(0);
  });

  it('closes the connection when the loop is left', async () => {
    const client = await serve(({ response }) => {
      openStream(response);
      response.write(eventFrame(1));
    });
    expect(seqs(await take(client.runs.stream('r1'), 1))).toEqual([1]);
    await server!.closed(0);
    expect(server!.requests).toHaveLength(1);
  });
});

describe('client.runs.stream over the home’s Unix socket', () => {
  it('streams and resumes through unixSocketFetch', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bcs-'));
    try {
      server = await startSseServer(
        ({ index, response }) => {
          openStream(response);
          response.write(index === 0 ? eventFrame(1) : eventFrame(2));
          if (index === 0) response.end();
        },
        path.join(dir, 'baton.sock'),
      );
      const client = createClient({
        baseUrl: server.url,
        fetch: unixSocketFetch(path.join(dir, 'baton.sock')),
      });
      expect(seqs(await take(client.runs.stream('r1', { reconnect: FAST }), 2))).toEqual([1, 2]);
      expect(server.requests[1]!.headers['last-event-id']).toBe('1');
    } finally {
      await server?.close();
      server = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
