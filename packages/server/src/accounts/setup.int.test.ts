import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  describeOnBackends,
  openTestDatabase,
  postJson,
  sessionCookie,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../testing/index.js';

const owner = { email: 'ada@example.com', password: 'correct horse battery staple' };

describeOnBackends('the setup link', (backend) => {
  let database: TestDatabase;
  let servers: TestServer[];

  beforeEach(async () => {
    database = await openTestDatabase(backend);
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await database.close();
  });

  async function start(options: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
    const server = await startTestServer(database.db, options);
    servers.push(server);
    return server;
  }

  it('refuses a missing or wrong token (403), makes the owner and signs them in (201), then refuses setup again (409)', async () => {
    const server = await start();
    expect(server.setupToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const missing = await postJson(server, '/api/auth/setup', owner);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const wrong = await postJson(server, '/api/auth/setup', { ...owner, token: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(sessionCookie(wrong)).toBeUndefined();

    const done = await postJson(server, '/api/auth/setup', { ...owner, token: server.setupToken });
    expect(done.status).toBe(201);
    const body = (await done.json()) as { user: { id: string } };
    expect(body).toEqual({
      user: { id: expect.any(String), email: owner.email },
      tenant: { id: 'local', name: 'Local' },
    });
    const cookie = sessionCookie(done);
    expect(cookie).toBeDefined();
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: cookie! } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      user: { id: body.user.id, email: owner.email },
      tenant: { id: 'local', name: 'Local' },
      role: 'owner',
      via: 'session',
    });

    const again = await postJson(server, '/api/auth/setup', { ...owner, token: server.setupToken });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    expect(await server.accounts.ensureSetupToken()).toBeUndefined();
  });

  it('accepts the token preset by BATON_SETUP_TOKEN, and every link printed before setup', async () => {
    const preset = 'a-preset-setup-token-of-enough-length';
    const first = await start({ setup: { preset } });
    const second = await start();
    expect(first.setupToken).toBe(preset);
    expect(second.setupToken).not.toBe(preset);

    const done = await postJson(first, '/api/auth/setup', { ...owner, token: preset });
    expect(done.status).toBe(201);
    const late = await postJson(second, '/api/auth/setup', { ...owner, token: second.setupToken });
    expect(late.status).toBe(409);
  });

  it('keeps no setup token once the owner exists: neither the used one nor any other link, nor the preset on a restart', async () => {
    const preset = 'a-preset-setup-token-of-enough-length';
    await start({ setup: { preset } });
    const second = await start();
    const stored = async () =>
      (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM setup_tokens'))[0]!.n;
    expect(await stored()).toBe(2);

    expect((await postJson(second, '/api/auth/setup', { ...owner, token: second.setupToken })).status).toBe(
      201,
    );
    expect(await stored()).toBe(0);
    // A restart with BATON_SETUP_TOKEN still set records nothing and prints no link.
    const restarted = await start({ setup: { preset } });
    expect(restarted.setupToken).toBeUndefined();
    expect(await stored()).toBe(0);
    for (const token of [preset, second.setupToken]) {
      const again = await postJson(restarted, '/api/auth/setup', {
        ...owner,
        email: 'eve@example.com',
        token,
      });
      expect(again.status).toBe(409);
    }
  });

  it('refuses a preset token that is too short or has spaces', async () => {
    const server = await start({ setup: false });
    await expect(server.accounts.ensureSetupToken({ preset: 'short' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(
      server.accounts.ensureSetupToken({ preset: 'a token with spaces in it' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('refuses a short password or an invalid email with 422 naming the field, and keeps the token usable', async () => {
    const server = await start();
    const short = await postJson(server, '/api/auth/setup', {
      token: server.setupToken,
      email: owner.email,
      password: 'too short',
    });
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({
      error: {
        code: 'INVALID_REQUEST',
        message: 'body.password: the password must have at least 10 characters',
      },
    });
    const email = await postJson(server, '/api/auth/setup', {
      ...owner,
      email: 'ada',
      token: server.setupToken,
    });
    expect(email.status).toBe(422);
    expect(await email.json()).toMatchObject({ error: { problems: [{ path: 'body.email' }] } });

    const done = await postJson(server, '/api/auth/setup', { ...owner, token: server.setupToken });
    expect(done.status).toBe(201);
  });

  it('serves the setup page without credentials: self-contained, its inline script and style allowed by hash', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/setup?token=${server.setupToken}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).not.toContain(server.setupToken);
    expect(html).not.toMatch(/(src|href)="?https?:/);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
  });

  it('publishes the accounts routes in the OpenAPI document', async () => {
    const server = await start({ setup: false });
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/setup',
        '/api/auth/setup',
        '/api/auth/login',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/tokens',
        '/api/tokens/{id}',
      ]),
    );
    expect(doc.components.schemas.Me!.properties!.user).toEqual({
      anyOf: [{ $ref: '#/components/schemas/User' }, { type: 'null' }],
    });
  });

  it('counts wrong setup tokens sent at once: past 30 the address is refused with 429, even with the right token', async () => {
    const server = await start();
    const responses = await Promise.all(
      Array.from({ length: 40 }, () =>
        postJson(server, '/api/auth/setup', { ...owner, token: 'x'.repeat(43) }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 403)).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const right = await postJson(server, '/api/auth/setup', { ...owner, token: server.setupToken });
    expect(right.status).toBe(429);
  });
});
