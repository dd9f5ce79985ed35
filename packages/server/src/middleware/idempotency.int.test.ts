import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { homeBusyError } from '@baton/runtime';
import type { AppEnv } from '../app-env.js';
import { hashPassword } from '../accounts/password.js';
import { insertMembership } from '../sql/insert-membership.js';
import { insertUser } from '../sql/insert-user.js';
import {
  createOwner,
  createToken,
  describeOnBackends,
  manualClock,
  openTestDatabase,
  postJson,
  sessionCookie,
  startTestServer,
  type TestOwner,
  type TestDatabase,
  type TestServer,
} from '../testing/index.js';

/** A promise and the function that resolves it (Node 20 has no `Promise.withResolvers`). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * `POST /api/test/hold`: counts its calls, tells the test it started, and answers only once the
 * test releases it — so the test can send a second request while the first is surely in flight.
 */
function holdRoutes() {
  const state = { calls: 0, entered: deferred(), release: deferred() };
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/test/hold',
      responses: { 200: { description: 'held', content: { 'application/json': { schema: z.object({}) } } } },
    }),
    async (c) => {
      state.calls++;
      state.entered.resolve();
      await state.release.promise;
      return c.json({ calls: state.calls }, 200);
    },
  );
  return { app, state };
}

/** `POST /api/test/items`: makes an item (a new id each call) and counts its calls; 422 for an empty name. */
function itemRoutes() {
  const state = { calls: 0 };
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/test/items',
      request: {
        body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1) }) } } },
      },
      responses: {
        201: {
          description: 'made',
          content: { 'application/json': { schema: z.object({ id: z.string(), name: z.string() }) } },
        },
      },
    }),
    (c) => {
      state.calls++;
      return c.json({ id: randomUUID(), name: c.req.valid('json').name }, 201);
    },
  );
  return { app, state };
}

/**
 * `POST /api/test/busy`: refused with HOME_BUSY (a refusal that holds only for now) until the
 * test frees it, then makes an item.
 */
function busyRoutes() {
  const state = { busy: true, calls: 0 };
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/test/busy',
      responses: { 201: { description: 'made', content: { 'application/json': { schema: z.object({}) } } } },
    }),
    (c) => {
      state.calls++;
      if (state.busy)
        throw homeBusyError(
          { home: '/h', command: 'baton run', pid: 1, runId: 'r' },
          'cannot start a run here',
        );
      return c.json({ calls: state.calls }, 201);
    },
  );
  return { app, state };
}

const DAY_MS = 24 * 60 * 60 * 1000;

describeOnBackends('Idempotency-Key', (backend) => {
  const clock = manualClock();
  const hold = holdRoutes();
  const items = itemRoutes();
  const busy = busyRoutes();
  let database: TestDatabase;
  let server: TestServer;
  let owner: TestOwner;
  let cookie: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    server = await startTestServer(database.db, {
      accounts: { clock },
      routes: [hold.app, items.app, busy.app],
    });
    owner = await createOwner(server);
    cookie = owner.cookie;
    auth = { authorization: `Bearer ${(await createToken(server, { cookie })).token}` };
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const tokenIds = async (): Promise<string[]> => {
    const response = await fetch(`${server.url}/api/tokens`, { headers: auth });
    return ((await response.json()) as { tokens: { id: string }[] }).tokens.map((each) => each.id);
  };
  const post = (body: unknown, key: string, headers = auth) =>
    postJson(server, '/api/test/items', body, { ...headers, 'idempotency-key': key });

  it('replays the first response byte for byte to a retry, and runs nothing again', async () => {
    const before = items.state.calls;
    const first = await post({ name: 'once' }, 'key-replay');
    const firstBody = await first.text();
    const retry = await post({ name: 'once' }, 'key-replay');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await retry.text()).toBe(firstBody);
    expect(items.state.calls).toBe(before + 1);
  });

  it('never keeps a new API token: the key keeps a 409 in its place, and a retry makes no second token', async () => {
    const before = await tokenIds();
    const first = await postJson(
      server,
      '/api/tokens',
      { name: 'secret' },
      { cookie, 'idempotency-key': 'key-secret' },
    );
    expect(first.status).toBe(201);
    const { token } = (await first.json()) as { token: string };
    const rows = await database.db.query<{ response_body: string | null }>(
      'SELECT response_body FROM idempotency_keys',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.response_body ?? '').not.toContain(token);
    const retry = await postJson(
      server,
      '/api/tokens',
      { name: 'secret' },
      { cookie, 'idempotency-key': 'key-secret' },
    );
    expect(retry.status).toBe(409);
    expect(await retry.json()).toEqual({
      error: { code: 'CONFLICT', message: expect.stringContaining('carried a secret') },
    });
    expect(await tokenIds()).toHaveLength(before.length + 1);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    expect((await post({ name: 'a' }, 'key-reuse')).status).toBe(201);
    const other = await post({ name: 'b' }, 'key-reuse');
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('keeps keys per user: a token of theirs or a new session replays, another user of the tenant runs', async () => {
    const first = await post({ name: 'scoped' }, 'key-scope', { cookie });
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    const signedInAgain = sessionCookie(await postJson(server, '/api/auth/login', owner))!;
    expect(signedInAgain).not.toBe(cookie);
    for (const headers of [auth, { cookie: signedInAgain }]) {
      const retry = await post({ name: 'scoped' }, 'key-scope', headers);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await retry.text()).toBe(firstBody);
    }
    const other = { email: 'member@example.com', password: 'a member password' };
    await insertUser(database.db, {
      id: 'user-member',
      email: other.email,
      passwordHash: await hashPassword(other.password),
      createdAt: clock.now(),
    });
    await insertMembership(database.db, 'local', 'user-member', 'member', clock.now());
    const memberCookie = sessionCookie(await postJson(server, '/api/auth/login', other))!;
    const theirs = await post({ name: 'scoped' }, 'key-scope', { cookie: memberCookie });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not keep a refused input (422): the fixed request runs with the same key', async () => {
    const refused = await post({ name: '' }, 'key-fix');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    const fixed = await post({ name: 'fixed' }, 'key-fix');
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not keep a refusal that holds only for now (409 HOME_BUSY): the retry runs once the home is free', async () => {
    const send = () => postJson(server, '/api/test/busy', {}, { ...auth, 'idempotency-key': 'key-busy' });
    const refused = await send();
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'HOME_BUSY' } });
    busy.state.busy = false;
    const retried = await send();
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(busy.state.calls).toBe(2);
  });

  it('replays a DELETE too (204 again, not 404)', async () => {
    const { id } = await createToken(server, { cookie }, { name: 'to revoke' });
    const del = () =>
      fetch(`${server.url}/api/tokens/${id}`, {
        method: 'DELETE',
        headers: { ...auth, 'idempotency-key': 'key-del' },
      });
    expect((await del()).status).toBe(204);
    const again = await del();
    expect(again.status).toBe(204);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses a key longer than 255 characters or empty: 422', async () => {
    expect((await post({ name: 'x' }, 'k'.repeat(256))).status).toBe(422);
    expect((await post({ name: 'x' }, '')).status).toBe(422);
    expect((await post({ name: 'x' }, 'k'.repeat(255))).status).toBe(201);
  });

  it('forgets a key after 24 hours: the same key then runs another request', async () => {
    expect((await post({ name: 'day one' }, 'key-expiry')).status).toBe(201);
    clock.advance(DAY_MS);
    const next = await post({ name: 'day two' }, 'key-expiry');
    expect(next.status).toBe(201);
    expect(next.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 409 to a retry while the first request is still running, then replays its response', async () => {
    const send = () =>
      fetch(`${server.url}/api/test/hold`, {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': 'key-hold' },
      });
    const first = send();
    await hold.state.entered.promise;
    const during = await send();
    expect(during.status).toBe(409);
    expect(await during.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    hold.state.release.resolve();
    expect(await (await first).json()).toEqual({ calls: 1 });
    const after = await send();
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(await after.json()).toEqual({ calls: 1 });
    expect(hold.state.calls).toBe(1);
  });
});
