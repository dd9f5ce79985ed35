/**
 * `client.events.follow` against a real HTTP server (node:http) that goes silent on purpose: a
 * connection that delivers nothing, not even the server's keepalive comment, is taken for dead
 * and replaced, resuming from the last id — a half-open connection must not stall a dashboard.
 */
import { afterEach, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { openStream, startSseServer, type SseServer } from '../sse-server.test-support.js';
import type { TenantEvent } from '../types/events.js';

let server: SseServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('replaces a connection that went silent, resuming from the last id', async () => {
  server = await startSseServer(({ index, response }) => {
    openStream(response);
    // The first connection sends its `ready` frame, then nothing at all (a dead peer).
    response.write(`id: 7:\nevent: ready\ndata: {"resumed":${index > 0}}\n\n`);
  });
  const client = createClient({ baseUrl: server.url, token: 'secret' });
  const abort = new AbortController();
  const events: TenantEvent[] = [];
  for await (const event of client.events.follow({ signal: abort.signal, retryMs: 1, idleMs: 50 })) {
    events.push(event);
    if (events.length === 2) abort.abort();
  }
  expect(events).toEqual([
    { type: 'ready', id: '7:', resumed: false },
    { type: 'ready', id: '7:', resumed: true },
  ]);
  expect(server.requests[1]?.url).toBe('/api/events?lastEventId=7%3A');
});

it('ends at once when stopped while it waits to reconnect after a 503', async () => {
  server = await startSseServer(({ response }) => {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end('{"error":{"code":"NOT_READY","message":"starting"}}');
  });
  const client = createClient({ baseUrl: server.url, token: 'secret' });
  const abort = new AbortController();
  // A minute between tries: the iteration must not wait it out once stopped.
  const events = client.events.follow({ signal: abort.signal, retryMs: 60_000 });
  const next = events.next();
  await expect.poll(() => server!.requests.length).toBe(1);
  abort.abort();
  expect(await next).toEqual({ done: true, value: undefined });
  expect(server.requests).toHaveLength(1);
});
