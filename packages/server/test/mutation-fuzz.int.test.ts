/**
 * Random bodies, parameters and headers against every mutating route of the OpenAPI document, as
 * the home's owner (over the socket): never a 5xx, and a refused request changes nothing — the
 * runs, workflows and tokens the API lists are the same before and after it. Random parameters
 * and query values against every GET route: never a 5xx either. The values include NUL characters
 * and numbers past what the database holds, which must be refused as 4xx before any query.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHomeServer, type HomeServer, type SocketResponse } from '../src/testing/index.js';

let t: HomeServer;
beforeAll(async () => {
  t = await startHomeServer();
});
afterAll(async () => {
  await t.close();
});

interface Operation {
  readonly method: string;
  readonly path: string;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface OpenApiOperation {
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly responses?: Record<string, { readonly content?: Record<string, unknown> }>;
}

async function openApiPaths(): Promise<Record<string, Record<string, OpenApiOperation>>> {
  const doc = JSON.parse((await t.socket('GET', '/api/openapi.json')).text) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  return doc.paths;
}

async function mutatingOperations(): Promise<Operation[]> {
  return Object.entries(await openApiPaths()).flatMap(([route, methods]) =>
    Object.keys(methods)
      .map((method) => ({ method: method.toUpperCase(), path: route }))
      .filter((op) => MUTATING.has(op.method)),
  );
}

/**
 * Every GET route with the names of its query parameters — but streams (`text/event-stream`): an
 * accepted request never ends, so their own tests check what they refuse.
 */
async function getOperations(): Promise<{ path: string; query: string[] }[]> {
  return Object.entries(await openApiPaths()).flatMap(([route, methods]) =>
    methods.get === undefined || methods.get.responses?.['200']?.content?.['text/event-stream'] !== undefined
      ? []
      : [
          {
            path: route,
            query: (methods.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
          },
        ],
  );
}

/** What the store holds, as the API lists it (a route that does not exist yet lists nothing). */
async function fingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const list of ['/api/runs?limit=200', '/api/workflows', '/api/tokens']) {
    const response = await t.socket('GET', list);
    parts.push(response.status === 200 ? response.text : `${list}: ${response.status}`);
  }
  return parts.join('\n');
}

/** Values the database cannot hold: NUL characters, integers past 32 bits, numbers past any date. */
const unstorable = fc.constantFrom('\u0000', 'a\u0000b', '99999999999', '1e10', '1e300', '-1e300');

const param = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..', '%2e%2e', 'x'.repeat(300), '0', '-1', 'null', '💥', 'a b', 'local'),
  unstorable,
);

/** A cursor as the run list writes one (base64url JSON), with values it never writes. */
const cursor = fc
  .record({
    createdAt: fc.oneof(fc.double(), fc.constantFrom(1e300, -1, 8.64e15 + 1, 0)),
    id: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('a\u0000b')),
  })
  .map((value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url'));

const queryValue = fc.oneof(param, cursor);

/** JSON values with the unstorable ones among them. */
const jsonValue = fc.oneof(
  fc.jsonValue(),
  unstorable,
  fc.constantFrom(99999999999, 1e300, -1e300, 2147483648),
);

const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  unstorable,
  fc
    .dictionary(
      fc.constantFrom(
        'workflow',
        'inputs',
        'title',
        'decision',
        'feedback',
        'content',
        'from',
        'tokens',
        'usd',
        'phase',
        'name',
        'email',
        'password',
        'token',
        'reason',
        'expiresInDays',
        'version',
      ),
      jsonValue,
    )
    .map((value) => JSON.stringify(value)),
  fc.constant(''),
  fc.constant('{"unterminated": '),
  fc.constant('id: x\nphases: [ {'),
);

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/yaml',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
  ),
  { nil: undefined },
);

const idempotencyKey = fc.option(fc.string({ minLength: 0, maxLength: 300 }), { nil: undefined });

function fill(route: string, values: readonly string[]): string {
  let i = 0;
  return route.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++ % values.length] ?? ''));
}

describe('every mutating route under random input', () => {
  it('never answers 5xx, and a refused request leaves the store as it was', async () => {
    const ops = await mutatingOperations();
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(param, { minLength: 3, maxLength: 3 }),
          body,
          contentType,
          idempotencyKey,
          async (params, text, type, key) => {
            const before = await fingerprint();
            const headers: Record<string, string> = {};
            if (type !== undefined) headers['content-type'] = type;
            if (key !== undefined && /^[\x21-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
            const response: SocketResponse = await t.socket(op.method, fill(op.path, params), {
              headers,
              ...(op.method === 'DELETE' ? {} : { body: text }),
            });
            const where = `${op.method} ${op.path} → ${response.status} ${response.text.slice(0, 300)}`;
            expect(response.status, where).toBeLessThan(500);
            if (response.status >= 400) {
              expect(JSON.parse(response.text), where).toMatchObject({
                error: { code: expect.any(String), message: expect.any(String) },
              });
              expect(await fingerprint(), where).toBe(before);
            }
          },
        ),
        { numRuns: 25 },
      );
    }
  });
});

describe('every GET route under random parameters and query values', () => {
  it('never answers 5xx', async () => {
    const ops = await getOperations();
    expect(ops.some((op) => op.path.includes('{'))).toBe(true);
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(param, { minLength: 3, maxLength: 3 }),
          fc.array(fc.tuple(fc.constantFrom(...op.query, 'x'), queryValue), { maxLength: 3 }),
          async (params, query) => {
            const search = new URLSearchParams(query).toString();
            const path = `${fill(op.path, params)}${search === '' ? '' : `?${search}`}`;
            const response = await t.socket('GET', path);
            const where = `GET ${path} → ${response.status} ${response.text.slice(0, 300)}`;
            expect(response.status, where).toBeLessThan(500);
          },
        ),
        { numRuns: 25 },
      );
    }
  });
});
