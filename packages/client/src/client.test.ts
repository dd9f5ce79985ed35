import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorCode } from '@baton/server';
import { ApiClientError, ApiClientErrorCode, isApiClientError } from './api-client-error.js';
import { thrown } from './thrown.test-support.js';
import { createClient, type BatonClient } from './client.js';
import { startRecordingServer, type RecordingServer } from './recording-server.test-support.js';

let server: RecordingServer;
let client: BatonClient;

beforeAll(async () => {
  server = await startRecordingServer();
  client = createClient({ baseUrl: server.url, token: 'secret' });
});

afterAll(async () => {
  await server.close();
});

/** The request `call` sent. */
async function sent(call: () => Promise<unknown>) {
  server.answer({ status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
  const before = server.requests.length;
  await call();
  expect(server.requests.length).toBe(before + 1);
  const request = server.requests.at(-1)!;
  return {
    method: request.method,
    url: request.url,
    body: request.body === '' ? undefined : (JSON.parse(request.body) as unknown),
    headers: request.headers,
  };
}

describe('createClient: what each method sends', () => {
  const cases: [string, (c: BatonClient) => Promise<unknown>, string, string, unknown][] = [
    ['health', (c) => c.health(), 'GET', '/health', undefined],
    ['ready', (c) => c.ready(), 'GET', '/ready', undefined],
    [
      'auth.setup',
      (c) => c.auth.setup({ token: 't', email: 'a@b.c', password: 'pw' }),
      'POST',
      '/api/auth/setup',
      { token: 't', email: 'a@b.c', password: 'pw' },
    ],
    [
      'auth.login',
      (c) => c.auth.login({ email: 'a@b.c', password: 'pw' }),
      'POST',
      '/api/auth/login',
      { email: 'a@b.c', password: 'pw' },
    ],
    ['auth.logout', (c) => c.auth.logout(), 'POST', '/api/auth/logout', undefined],
    ['auth.me', (c) => c.auth.me(), 'GET', '/api/auth/me', undefined],
    [
      'tokens.create',
      (c) => c.tokens.create({ name: 'ci', expiresInDays: 30 }),
      'POST',
      '/api/tokens',
      { name: 'ci', expiresInDays: 30 },
    ],
    ['tokens.list', (c) => c.tokens.list(), 'GET', '/api/tokens', undefined],
    ['tokens.revoke', (c) => c.tokens.revoke('tok 1'), 'DELETE', '/api/tokens/tok%201', undefined],
    ['workflows.list', (c) => c.workflows.list(), 'GET', '/api/workflows', undefined],
    ['workflows.get', (c) => c.workflows.get('notes'), 'GET', '/api/workflows/notes', undefined],
    [
      'workflows.get version',
      (c) => c.workflows.get('notes', { version: 2 }),
      'GET',
      '/api/workflows/notes?version=2',
      undefined,
    ],
    ['environments.list', (c) => c.environments.list(), 'GET', '/api/environments', undefined],
    [
      'runs.create',
      (c) => c.runs.create({ workflow: 'notes', version: 2, inputs: { repo: '.' }, title: 'T' }),
      'POST',
      '/api/runs',
      { workflow: 'notes', version: 2, inputs: { repo: '.' }, title: 'T' },
    ],
    ['runs.list', (c) => c.runs.list(), 'GET', '/api/runs', undefined],
    [
      'runs.list query',
      (c) => c.runs.list({ status: 'waiting', workflow: 'release notes', cursor: 'c/1', limit: 20 }),
      'GET',
      '/api/runs?status=waiting&workflow=release+notes&cursor=c%2F1&limit=20',
      undefined,
    ],
    ['runs.get', (c) => c.runs.get('r/1'), 'GET', '/api/runs/r%2F1', undefined],
    ['runs.rename', (c) => c.runs.rename('r1', 'New title'), 'PATCH', '/api/runs/r1', { title: 'New title' }],
    ['runs.delete', (c) => c.runs.delete('r1'), 'DELETE', '/api/runs/r1', undefined],
    [
      'runs.pause',
      (c) => c.runs.pause('r1', { reason: 'lunch' }),
      'POST',
      '/api/runs/r1/pause',
      { reason: 'lunch' },
    ],
    ['runs.resume', (c) => c.runs.resume('r1'), 'POST', '/api/runs/r1/resume', {}],
    ['runs.cancel', (c) => c.runs.cancel('r1', {}), 'POST', '/api/runs/r1/cancel', {}],
    [
      'runs.fork',
      (c) => c.runs.fork('r1', { from: 'draft', inputs: { a: 1 } }),
      'POST',
      '/api/runs/r1/fork',
      { from: 'draft', inputs: { a: 1 } },
    ],
    [
      'runs.retry',
      (c) => c.runs.retry('r1', 'draft', { reason: 'flaky' }),
      'POST',
      '/api/runs/r1/phases/draft/retry',
      { reason: 'flaky' },
    ],
    [
      'runs.skip',
      (c) => c.runs.skip('r1', 'tasks[2].code'),
      'POST',
      '/api/runs/r1/phases/tasks%5B2%5D.code/skip',
      {},
    ],
    [
      'runs.rewind',
      (c) => c.runs.rewind('r1', 'brief', { inputs: { x: 'y' }, reason: 'r' }),
      'POST',
      '/api/runs/r1/phases/brief/rewind',
      { inputs: { x: 'y' }, reason: 'r' },
    ],
    [
      'runs.decide',
      (c) => c.runs.decide('r1', 'draft', { decision: 'request_changes', feedback: 'shorter' }),
      'POST',
      '/api/runs/r1/phases/draft/decision',
      { decision: 'request_changes', feedback: 'shorter' },
    ],
    [
      'runs.submit',
      (c) => c.runs.submit('r1', 'answer', { content: { ok: true } }),
      'POST',
      '/api/runs/r1/phases/answer/submit',
      { content: { ok: true } },
    ],
    [
      'runs.budget',
      (c) => c.runs.budget('r1', { tokens: 1000, usd: 2, phase: 'draft' }),
      'POST',
      '/api/runs/r1/budget',
      { tokens: 1000, usd: 2, phase: 'draft' },
    ],
    ['runs.calls', (c) => c.runs.calls('r1', 'draft'), 'GET', '/api/runs/r1/phases/draft/calls', undefined],
    [
      'runs.events',
      (c) => c.runs.events('r1', { after: 5, limit: 10 }),
      'GET',
      '/api/runs/r1/events?after=5&limit=10',
      undefined,
    ],
    [
      'runs.outputVersion',
      (c) => c.runs.outputVersion('r1', 'draft', 2),
      'GET',
      '/api/runs/r1/phases/draft/versions/2',
      undefined,
    ],
    ['runs.usage', (c) => c.runs.usage('r1'), 'GET', '/api/runs/r1/usage', undefined],
  ];

  for (const [name, call, method, url, body] of cases) {
    it(`${name} sends ${method} ${url}`, async () => {
      const request = await sent(() => call(client));
      expect({ method: request.method, url: request.url, body: request.body }).toEqual({ method, url, body });
      expect(request.headers.authorization).toBe('Bearer secret');
      expect(request.headers.accept).toBe('application/json');
      expect(request.headers['content-type']).toBe(body === undefined ? undefined : 'application/json');
    });
  }

  it('uploads a workflow as its text with the content type of its format', async () => {
    const yaml = 'id: notes\nphases: []\n';
    server.answer({ status: 201, body: '{"id":"notes","version":1}' });
    const created = await client.workflows.upload(yaml, 'yaml');
    expect(created).toEqual({ created: true, workflow: { id: 'notes', version: 1 } });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', url: '/api/workflows', body: yaml });
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/yaml');
    server.answer({ status: 200, body: '{"id":"notes","version":1}' });
    expect(await client.workflows.upload('{"id":"notes"}', 'json')).toMatchObject({ created: false });
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/json');
  });

  it('sends an Idempotency-Key with a mutation that has one, and no Authorization without a token', async () => {
    const request = await sent(() => client.runs.cancel('r1', { reason: 'x' }, { idempotencyKey: 'k-1' }));
    expect(request.headers['idempotency-key']).toBe('k-1');
    const anonymous = createClient({ baseUrl: server.url });
    const plain = await sent(() => anonymous.health());
    expect(plain.headers.authorization).toBeUndefined();
    expect(plain.headers['idempotency-key']).toBeUndefined();
  });

  it('keeps a path prefix of the base URL, with or without a trailing slash', async () => {
    for (const baseUrl of [`${server.url}/baton`, `${server.url}/baton/`]) {
      const request = await sent(() => createClient({ baseUrl }).workflows.list());
      expect(request.url).toBe('/baton/api/workflows');
    }
  });
});

describe('createClient: answers and errors', () => {
  it('answers the parsed JSON, and nothing for 204', async () => {
    server.answer({ status: 200, body: '{"runs":[],"nextCursor":null}' });
    expect(await client.runs.list()).toEqual({ runs: [], nextCursor: null });
    server.answer({ status: 204 });
    expect(await client.runs.delete('r1')).toBeUndefined();
  });

  it('throws the server’s error as an ApiClientError with status, code, message, problems and request id', async () => {
    server.answer({
      status: 422,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-7' },
      body: JSON.stringify({
        error: {
          code: 'INVALID_WORKFLOW',
          message: 'the workflow is invalid',
          problems: [{ path: 'phases[0].neds', message: 'unknown field', hint: 'did you mean "needs"?' }],
        },
      }),
    });
    const error = await thrown(() => client.workflows.upload('x', 'yaml'));
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({
      status: 422,
      code: 'INVALID_WORKFLOW',
      message: 'the workflow is invalid',
      requestId: 'req-7',
      problems: [{ path: 'phases[0].neds', message: 'unknown field', hint: 'did you mean "needs"?' }],
    });
    expect(isApiClientError(error, 'INVALID_WORKFLOW')).toBe(true);
    expect(isApiClientError(error, 'NOT_FOUND')).toBe(false);
  });

  it('names an error without the API’s body by its status', async () => {
    server.answer({
      status: 502,
      body: '<html>bad gateway</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await thrown(() => client.runs.get('r1'));
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502' });
    expect(error.message).toMatch(/^GET \/api\/runs\/r1 failed: HTTP 502/);
  });

  it('refuses a successful answer that is not JSON with INVALID_RESPONSE', async () => {
    server.answer({ status: 200, body: 'not json' });
    expect(await thrown(() => client.health())).toMatchObject({ status: 200, code: 'INVALID_RESPONSE' });
  });

  it('throws UNREACHABLE when no server answers, and when the request is aborted', async () => {
    const closed = await startRecordingServer();
    await closed.close();
    const error = await thrown(() => createClient({ baseUrl: closed.url }).health());
    expect(error).toMatchObject({ status: 0, code: 'UNREACHABLE' });
    expect(error.message).toMatch(/is the server running/);
    const aborted = await thrown(() => client.health({ signal: AbortSignal.abort() }));
    expect(aborted.code).toBe('UNREACHABLE');
  });

  it('knows every error code the server’s edge raises', () => {
    const known: string[] = Object.values(ApiClientErrorCode);
    for (const code of Object.values(ApiErrorCode)) expect(known).toContain(code);
  });
});
