/**
 * Every route of the OpenAPI document, walked without credentials: each answers 401 with the
 * error body (security headers and CORS still on it), except the public ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHomeServer, type HomeServer } from '../src/testing/index.js';

const PUBLIC = new Set([
  'GET /health',
  'GET /ready',
  'GET /api/openapi.json',
  'POST /api/auth/setup',
  'POST /api/auth/login',
  'GET /setup',
]);
const UI_ORIGIN = 'http://ui.example';

let t: HomeServer;
beforeAll(async () => {
  t = await startHomeServer({ allowedOrigins: [UI_ORIGIN] });
});
afterAll(async () => {
  await t.close();
});

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

async function operations(): Promise<{ method: string; path: string }[]> {
  const doc = (await (await t.http('GET', '/api/openapi.json')).json()) as OpenApiDocument;
  return Object.entries(doc.paths).flatMap(([route, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: route })),
  );
}

/** The route with each `{param}` filled with a plausible value. */
function concrete(route: string): string {
  return route.replace(/\{[^}]+\}/g, 'x1');
}

describe('the API without credentials', () => {
  it('refuses every route but the public ones with 401, keeping security headers and CORS', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(3);
    const refused: string[] = [];
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      if (PUBLIC.has(key)) continue;
      const response = await t.http(op.method, concrete(op.path), {
        headers: { origin: UI_ORIGIN, 'content-type': 'application/json' },
        ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { body: '{}' }),
      });
      expect(response.status, key).toBe(401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, key).toBe('UNAUTHENTICATED');
      expect(response.headers.get('x-content-type-options'), key).toBe('nosniff');
      expect(response.headers.get('access-control-allow-origin'), key).toBe(UI_ORIGIN);
      refused.push(key);
    }
    expect(refused).toContain('GET /api/environments');
  });

  it('answers the public routes without credentials', async () => {
    expect((await t.http('GET', '/health')).status).toBe(200);
    expect((await t.http('GET', '/ready')).status).toBe(200);
    expect((await t.http('GET', '/api/openapi.json')).status).toBe(200);
  });
});
