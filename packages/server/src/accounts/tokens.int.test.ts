import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { listen } from '../listen.js';
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
  socketRequest,
  startTestServer,
  type TestDatabase,
  type TestOwner,
  type TestServer,
} from '../testing/index.js';
import { createAccounts } from './create-accounts.js';
import { hashPassword } from './password.js';
import { hashToken } from './secret-token.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = manualClock();

/** A user of `tenantId` with `role`, made in the database (there is no signup route yet). */
async function addUser(database: TestDatabase, tenantId: string, email: string, role: 'owner' | 'member') {
  const id = `user-${email}`;
  const password = 'a member password';
  await insertUser(database.db, {
    id,
    email,
    passwordHash: await hashPassword(password),
    createdAt: clock.now(),
  });
  await insertMembership(database.db, tenantId, id, role, clock.now());
  return { email, password };
}

/** A JSON request over the home's Unix socket: its status and body text. */
async function overSocket(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const response = await socketRequest(
    socketPath,
    method,
    path,
    body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return { status: response.status, body: response.text };
}

describeOnBackends('API tokens', (backend) => {
  let database: TestDatabase;
  let server: TestServer;
  let owner: TestOwner;
  let session: Record<string, string>;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    server = await startTestServer(database.db, { accounts: { clock } });
    owner = await createOwner(server);
    session = { cookie: owner.cookie };
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const get = (path: string, headers: Record<string, string>) => fetch(`${server.url}${path}`, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('makes a token shown once, which then works as a Bearer token', async () => {
    const response = await postJson(server, '/api/tokens', { name: 'laptop' }, session);
    expect(response.status).toBe(201);
    const created = (await response.json()) as { token: string; prefix: string };
    expect(created).toEqual({
      id: expect.any(String),
      name: 'laptop',
      token: expect.stringMatching(/^baton_[A-Za-z0-9_-]{43}$/),
      prefix: created.token.slice(0, 12),
      createdAt: clock.now(),
      expiresAt: null,
    });
    const me = await get('/api/auth/me', bearer(created.token));
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      user: { id: owner.userId, email: owner.email },
      tenant: { id: 'local', name: 'Local' },
      role: 'owner',
      via: 'token',
    });
  });

  it('refuses to make a token with a token: 403, and makes none', async () => {
    const { token } = await createToken(server, session, { name: 'maker', expiresInDays: 1 });
    const before = (await (await get('/api/tokens', session)).json()) as { tokens: unknown[] };
    const response = await postJson(server, '/api/tokens', { name: 'forever' }, bearer(token));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: {
        code: 'FORBIDDEN',
        message:
          "tokens are made by a signed-in person (POST /api/auth/login) or over the home's socket, not with a token",
      },
    });
    const after = (await (await get('/api/tokens', session)).json()) as { tokens: unknown[] };
    expect(after.tokens).toHaveLength(before.tokens.length);
  });

  it('lists tokens without their secret or its hash', async () => {
    const { id, token } = await createToken(server, session, { name: 'listed', expiresInDays: 7 });
    const response = await get('/api/tokens', session);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(12));
    expect(text).not.toContain(hashToken(token));
    const { tokens } = JSON.parse(text) as { tokens: { id: string }[] };
    expect(tokens.find((each) => each.id === id)).toEqual({
      id,
      name: 'listed',
      prefix: token.slice(0, 12),
      createdBy: owner.email,
      createdAt: clock.now(),
      expiresAt: clock.now() + 7 * DAY_MS,
      lastUsedAt: null,
    });
  });

  it('refuses a revoked token at once (401), and a second revoke or an unknown id is 404', async () => {
    const { id, token } = await createToken(server, session, { name: 'revoked' });
    expect((await get('/api/auth/me', bearer(token))).status).toBe(200);
    const revoke = await fetch(`${server.url}/api/tokens/${id}`, { method: 'DELETE', headers: session });
    expect(revoke.status).toBe(204);
    const after = await get('/api/auth/me', bearer(token));
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const again = await fetch(`${server.url}/api/tokens/${id}`, { method: 'DELETE', headers: session });
    expect(again.status).toBe(404);
    const unknown = await fetch(`${server.url}/api/tokens/nope`, { method: 'DELETE', headers: session });
    expect(unknown.status).toBe(404);
    const { tokens } = (await (await get('/api/tokens', session)).json()) as { tokens: { id: string }[] };
    expect(tokens.map((each) => each.id)).not.toContain(id);
  });

  it('refuses an expired token (401)', async () => {
    const { token } = await createToken(server, session, { name: 'short', expiresInDays: 1 });
    expect((await get('/api/auth/me', bearer(token))).status).toBe(200);
    clock.advance(DAY_MS);
    expect((await get('/api/auth/me', bearer(token))).status).toBe(401);
  });

  it('refuses a malformed Authorization header (401), without falling back to the cookie', async () => {
    for (const authorization of ['Basic b3duZXI6cHc=', 'Bearer', 'Bearer not-a-baton-token']) {
      const response = await get('/api/auth/me', { ...session, authorization });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('Bearer baton_') },
      });
    }
  });

  it('refuses a token or an expiry out of bounds with 422', async () => {
    for (const body of [
      { name: '' },
      { name: 'x', expiresInDays: 0 },
      { name: 'x', expiresInDays: 1.5 },
      {},
    ]) {
      const response = await postJson(server, '/api/tokens', body, session);
      expect(response.status).toBe(422);
    }
  });

  it("shows a member only their own tokens; an owner sees and revokes every one of the tenant's", async () => {
    const member = await addUser(database, 'local', 'member@example.com', 'member');
    const memberCookie = sessionCookie(await postJson(server, '/api/auth/login', member))!;
    const mine = await createToken(server, { cookie: memberCookie }, { name: 'member token' });
    const owners = await createToken(server, session, { name: 'owner token' });

    const memberList = (await (await get('/api/tokens', { cookie: memberCookie })).json()) as {
      tokens: { id: string }[];
    };
    expect(memberList.tokens.map((each) => each.id)).toEqual([mine.id]);
    const denied = await fetch(`${server.url}/api/tokens/${owners.id}`, {
      method: 'DELETE',
      headers: { cookie: memberCookie },
    });
    expect(denied.status).toBe(404);
    const ownerList = (await (await get('/api/tokens', session)).json()) as { tokens: { id: string }[] };
    expect(ownerList.tokens.map((each) => each.id)).toEqual(expect.arrayContaining([mine.id, owners.id]));
    const memberMe = (await (await get('/api/auth/me', bearer(mine.token))).json()) as { role: string };
    expect(memberMe.role).toBe('member');
    const revoked = await fetch(`${server.url}/api/tokens/${mine.id}`, {
      method: 'DELETE',
      headers: session,
    });
    expect(revoked.status).toBe(204);
  });

  it("reads another tenant's token as missing", async () => {
    await database.db.query(`INSERT INTO tenants (id, name, created_at) VALUES ('other', 'Other', now())`);
    const stranger = await addUser(database, 'other', 'stranger@example.com', 'owner');
    const login = await postJson(server, '/api/auth/login', stranger);
    expect(await login.json()).toMatchObject({ tenant: { id: 'other' } });
    const theirs = await createToken(server, { cookie: sessionCookie(login)! }, { name: 'theirs' });
    const { tokens } = (await (await get('/api/tokens', session)).json()) as { tokens: { id: string }[] };
    expect(tokens.map((each) => each.id)).not.toContain(theirs.id);
    const denied = await fetch(`${server.url}/api/tokens/${theirs.id}`, {
      method: 'DELETE',
      headers: session,
    });
    expect(denied.status).toBe(404);
    expect((await get('/api/auth/me', bearer(theirs.token))).status).toBe(200);
  });
});

describeOnBackends("the home's socket", (backend) => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    dir = await mkdtemp(join(tmpdir(), 'baton-socket-'));
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });
  it('acts as the local owner before any account exists and makes tokens that act as it; TCP without credentials is refused', async () => {
    const accounts = createAccounts(database.db, { localUser: 'alice' });
    const app = createApp({
      log: pino({ level: 'silent' }),
      authenticator: accounts.authenticator,
      ready: () => Promise.resolve(true),
      publicRoutes: [accounts.publicRoutes],
      routes: [accounts.routes],
    });
    const socket = await listen(app, { socketPath: join(dir, 'baton.sock') });
    const tcp = await listen(app, { port: 0, host: '127.0.0.1' });
    try {
      const me = await overSocket(socket.url, 'GET', '/api/auth/me');
      expect(me.status).toBe(200);
      expect(JSON.parse(me.body)).toEqual({
        user: null,
        tenant: { id: 'local', name: 'Local' },
        role: 'owner',
        via: 'socket',
      });
      expect((await fetch(`${tcp.url}/api/auth/me`)).status).toBe(401);

      const made = await overSocket(socket.url, 'POST', '/api/tokens', { name: 'for the laptop' });
      expect(made.status).toBe(201);
      const { token } = JSON.parse(made.body) as { token: string };
      const viaToken = await fetch(`${tcp.url}/api/auth/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await viaToken.json()).toEqual({
        user: null,
        tenant: { id: 'local', name: 'Local' },
        role: 'owner',
        via: 'token',
      });
      const list = await overSocket(socket.url, 'GET', '/api/tokens');
      expect(JSON.parse(list.body)).toMatchObject({
        tokens: [{ name: 'for the laptop', createdBy: 'local:alice' }],
      });
    } finally {
      await socket.close();
      await tcp.close();
    }
  });
});
