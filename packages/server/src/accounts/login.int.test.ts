import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeOnPostgres } from '@baton/store/testing';
import {
  createOwner,
  createToken,
  describeOnBackends,
  manualClock,
  openTestDatabase,
  postJson,
  sessionCookie,
  startTestServer,
  type TestDatabase,
  type TestOwner,
  type TestServer,
} from '../testing/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describeOnBackends('signing in and out', (backend) => {
  let database: TestDatabase;
  let owner: TestOwner;
  let servers: TestServer[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const first = await startTestServer(database.db);
    owner = await createOwner(first);
    await first.close();
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
  afterAll(() => database.close());

  async function start(options: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
    const server = await startTestServer(database.db, { setup: false, ...options });
    servers.push(server);
    return server;
  }

  async function me(server: TestServer, cookie: string): Promise<Response> {
    return fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  }

  it('signs in with the email in any case and sets an HttpOnly, SameSite=Lax session cookie for 30 days', async () => {
    const server = await start();
    const response = await postJson(server, '/api/auth/login', {
      email: owner.email.toUpperCase(),
      password: owner.password,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: { id: owner.userId, email: owner.email },
      tenant: { id: 'local', name: 'Local' },
    });
    const setCookie = response.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    const attributes = setCookie[0]!.split('; ').slice(1);
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/', 'SameSite=Lax']);
    const cookie = sessionCookie(response)!;
    expect((await me(server, cookie)).status).toBe(200);
  });

  it('marks the cookie Secure when told the server is reached over https', async () => {
    const server = await start({ accounts: { secureCookies: true } });
    const response = await postJson(server, '/api/auth/login', owner);
    expect(response.headers.getSetCookie()[0]).toContain('; Secure');
  });

  it('refuses a wrong password and an unknown email alike: 401 with one message', async () => {
    const server = await start();
    const wrong = await postJson(server, '/api/auth/login', {
      email: owner.email,
      password: 'not the password',
    });
    const unknown = await postJson(server, '/api/auth/login', {
      email: 'nobody@example.com',
      password: owner.password,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const body = { error: { code: 'UNAUTHENTICATED', message: 'the email or the password is wrong' } };
    expect(await wrong.json()).toEqual(body);
    expect(await unknown.json()).toEqual(body);
    expect(sessionCookie(wrong)).toBeUndefined();
  });

  it('refuses with 429 and Retry-After after 10 failures of one address and email, even the right password, until the window passes', async () => {
    const clock = manualClock();
    const server = await start({ accounts: { clock } });
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await postJson(server, '/api/auth/login', {
        email: owner.email,
        password: `wrong ${attempt}`,
      });
      expect(response.status).toBe(401);
    }
    const limited = await postJson(server, '/api/auth/login', owner);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(await limited.json()).toEqual({
      error: { code: 'RATE_LIMITED', message: 'too many failed attempts: try again in 15 minutes' },
    });
    const otherEmail = await postJson(server, '/api/auth/login', {
      email: 'b@example.com',
      password: 'wrong',
    });
    expect(otherEmail.status).toBe(401);

    clock.advance(15 * 60 * 1000);
    const later = await postJson(server, '/api/auth/login', owner);
    expect(later.status).toBe(200);
  });

  it('counts wrong passwords sent at once: some of 40 are refused with 429, and then the right password too', async () => {
    const server = await start();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, attempt) =>
        postJson(server, '/api/auth/login', { email: owner.email, password: `wrong ${attempt}` }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30);
    const right = await postJson(server, '/api/auth/login', owner);
    expect(right.status).toBe(429);
  });

  it('ends the session on logout: the cookie is cleared and refused from then on', async () => {
    const server = await start();
    const cookie = sessionCookie(await postJson(server, '/api/auth/login', owner))!;
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(
      /^baton_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const after = await me(server, cookie);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const again = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(again.status).toBe(401);
  });

  it('has nothing to sign out of with a token: 409', async () => {
    const server = await start();
    const { token } = await createToken(server, { cookie: owner.cookie });
    const out = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(409);
  });

  it('refuses a session once it expired (30 days after sign-in)', async () => {
    const clock = manualClock();
    const server = await start({ accounts: { clock } });
    const cookie = sessionCookie(await postJson(server, '/api/auth/login', owner))!;
    clock.advance(30 * DAY_MS - 1);
    expect((await me(server, cookie)).status).toBe(200);
    clock.advance(1);
    expect((await me(server, cookie)).status).toBe(401);
  });

  it('refuses a mutating request from another origin that carries the session cookie: 403', async () => {
    const server = await start();
    const cookie = sessionCookie(await postJson(server, '/api/auth/login', owner))!;
    const cross = await postJson(
      server,
      '/api/tokens',
      { name: 'csrf' },
      { cookie, origin: 'http://evil.example' },
    );
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const crossLogin = await postJson(server, '/api/auth/login', owner, { origin: 'http://evil.example' });
    expect(crossLogin.status).toBe(403);
    const same = await postJson(server, '/api/tokens', { name: 'mine' }, { cookie, origin: server.url });
    expect(same.status).toBe(201);
  });
});

describeOnPostgres('sessions across servers (PostgreSQL)', (adminUrl) => {
  let database: TestDatabase;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    database = await openTestDatabase({ kind: 'postgres', adminUrl });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await database.close();
  });

  describe('two servers, each with its own connections to one database', () => {
    it('accept one session, and both refuse it once it ended on one of them', async () => {
      const first = await startTestServer(database.db);
      const second = await startTestServer(database.connectAgain(), { setup: false });
      servers.push(first, second);
      const owner = await createOwner(first);
      const cookie = sessionCookie(await postJson(second, '/api/auth/login', owner))!;
      const meOn = (server: TestServer) => fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
      expect((await meOn(first)).status).toBe(200);
      expect((await meOn(second)).status).toBe(200);

      const out = await fetch(`${first.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
      expect(out.status).toBe(204);
      expect((await meOn(second)).status).toBe(401);
      expect((await meOn(first)).status).toBe(401);
    });
  });
});
