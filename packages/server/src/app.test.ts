import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createApp, type Authenticator } from './app.js';
import { listen } from './listen.js';

const nobody: Authenticator = { authenticate: () => Promise.resolve(undefined) };
const owner: Authenticator = {
  authenticate: (request) =>
    Promise.resolve(
      request.authorization === 'Bearer ok'
        ? { tenantId: 'local', via: 'token' as const, role: 'owner' as const, actor: 'me' }
        : undefined,
    ),
};

function app(authenticator: Authenticator = nobody) {
  return createApp({ log: pino({ level: 'silent' }), authenticator, ready: () => Promise.resolve(true) });
}

describe('the HTTP edge', () => {
  it('answers /health and /ready without credentials, with security headers', async () => {
    const server = await listen(app(), { port: 0, host: '127.0.0.1' });
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(health.headers.get('x-content-type-options')).toBe('nosniff');
      expect(health.headers.get('x-request-id')).toMatch(/./);
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses a protected route without credentials: 401 with the error body', async () => {
    const response = await app().request('/api/environments');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
    expect(body.error.message).toMatch(/login/);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('serves a protected route to a principal', async () => {
    const response = await app(owner).request('/api/environments', {
      headers: { authorization: 'Bearer ok' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      environments: [expect.objectContaining({ id: 'host', default: true })],
    });
  });

  it('refuses a mutating request from another origin with 403, and lets one without Origin through', async () => {
    const cross = await app(owner).request('http://127.0.0.1:7080/api/environments', {
      method: 'POST',
      headers: { authorization: 'Bearer ok', origin: 'http://127.0.0.1:3000' },
    });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const site = await app(owner).request('http://127.0.0.1:7080/api/environments', {
      method: 'POST',
      headers: { authorization: 'Bearer ok', 'sec-fetch-site': 'same-site' },
    });
    expect(site.status).toBe(403);
    const script = await app(owner).request('http://127.0.0.1:7080/api/environments', {
      method: 'POST',
      headers: { authorization: 'Bearer ok' },
    });
    expect(script.status).toBe(404);
  });

  it('answers an unknown route with 404 NOT_FOUND once authenticated', async () => {
    const response = await app(owner).request('/api/nothing', { headers: { authorization: 'Bearer ok' } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('publishes an OpenAPI 3.1 document without credentials', async () => {
    const response = await app().request('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health', '/ready', '/api/environments']),
    );
  });

  it.each([
    ['a NUL in the decoded path', '/api/runs/%00', undefined, 'path'],
    ['a NUL in a query value', '/health?x=a%00b', undefined, 'query.x'],
    ['a NUL byte in the body', '/api/runs', 'a\u0000b', 'body'],
    ['the JSON escape \\u0000 in the body', '/api/runs', '{"name": "a\\u0000b"}', 'body'],
  ])('refuses %s with 422 INVALID_REQUEST before anything else', async (_, path, body, where) => {
    const response = await app(owner).request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: 'Bearer ok', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: `${where}: NUL characters (U+0000) are not accepted`,
        problems: [{ path: where, message: 'NUL characters (U+0000) are not accepted' }],
      },
    });
  });

  it('leaves the body of a workflow upload to its own NUL check', async () => {
    const response = await app(owner).request('/api/workflows', {
      method: 'POST',
      headers: { authorization: 'Bearer ok', 'content-type': 'application/json' },
      body: '{"id": "a\\u0000b"}',
    });
    expect(response.status).toBe(404);
  });

  it('passes an escaped backslash before u0000, which is no NUL', async () => {
    const response = await app(owner).request('/api/nothing', {
      method: 'POST',
      headers: { authorization: 'Bearer ok', 'content-type': 'application/json' },
      body: '{"name": "a\\\\u0000b"}',
    });
    expect(response.status).toBe(404);
  });
});
