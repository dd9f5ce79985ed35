import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, listen, type Authenticator, type Listener } from '@baton/server';
import { createClient } from './client.js';
import { isApiClientError } from './api-client-error.js';
import { startRecordingServer, type RecordingServer } from './recording-server.test-support.js';
import { unixSocketFetch } from './unix-socket-fetch.js';

/** The socket vouches for the local owner; nothing else is let in. */
const socketOnly: Authenticator = {
  authenticate: (request) =>
    Promise.resolve(
      request.socket
        ? { tenantId: 'local', via: 'socket' as const, role: 'owner' as const, actor: 'local:me' }
        : undefined,
    ),
};

let dir: string;
beforeAll(async () => {
  // Short: a socket path has a length limit (about 100 bytes).
  dir = await mkdtemp(path.join(tmpdir(), 'bc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('unixSocketFetch against the server on its socket', () => {
  let server: Listener;
  beforeAll(async () => {
    const app = createApp({
      log: pino({ level: 'silent' }),
      authenticator: socketOnly,
      ready: () => Promise.resolve(true),
    });
    server = await listen(app, { socketPath: path.join(dir, 'baton.sock') });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reaches public and protected routes: the socket is the credential', async () => {
    const client = createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(server.url) });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(await client.ready()).toEqual({ status: 'ready' });
    expect(await client.environments.list()).toEqual({
      environments: [expect.objectContaining({ id: 'host', default: true })],
    });
  });

  it('carries error answers with their headers', async () => {
    const client = createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(server.url) });
    const error: unknown = await client.runs.get('nope').catch((e: unknown) => e);
    expect(isApiClientError(error, 'NOT_FOUND')).toBe(true);
    expect(isApiClientError(error) && error.status).toBe(404);
    expect(isApiClientError(error) && error.requestId).toMatch(/./);
  });

  it('is a fetch: a Response with status, headers and a body to read', async () => {
    const response = await unixSocketFetch(server.url)('http://localhost/health?x=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('fails like fetch when no server listens on the socket', async () => {
    await expect(unixSocketFetch(path.join(dir, 'none.sock'))('http://localhost/health')).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('unixSocketFetch: what it sends', () => {
  let recorder: RecordingServer;
  beforeAll(async () => {
    recorder = await startRecordingServer(path.join(dir, 'rec.sock'));
  });
  afterAll(async () => {
    await recorder.close();
  });

  it('sends the method, path, query, headers and body unchanged', async () => {
    const send = unixSocketFetch(path.join(dir, 'rec.sock'));
    const body = JSON.stringify({ title: 'é ✓ 𝄞' });
    const response = await send('http://localhost/api/runs/r1?x=a%20b', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
      body,
    });
    expect(response.status).toBe(200);
    expect(recorder.requests.at(-1)).toMatchObject({ method: 'PATCH', url: '/api/runs/r1?x=a%20b', body });
    expect(recorder.requests.at(-1)!.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'k',
      host: 'localhost',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('answers 204 with no body', async () => {
    recorder.answer({ status: 204 });
    const response = await unixSocketFetch(path.join(dir, 'rec.sock'))('http://localhost/api/tokens/t1', {
      method: 'DELETE',
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('rejects with the abort reason when the request is aborted before it is sent', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      unixSocketFetch(path.join(dir, 'rec.sock'))('http://localhost/health', { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
