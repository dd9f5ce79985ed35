import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createToken,
  describeOnBackends,
  openTestDatabase,
  postJson,
  sessionCookie,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../testing/index.js';
import { hashToken } from './secret-token.js';

describeOnBackends('the request log', (backend) => {
  const lines: string[] = [];
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    server = await startTestServer(database.db, { log });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('never holds a password, a setup token, a session cookie or an API token', async () => {
    const setupToken = server.setupToken!;
    const email = 'ada@example.com';
    const password = 'a password nobody may log';
    const wrongPassword = 'a wrong password nobody may log';

    expect((await fetch(`${server.url}/setup?token=${setupToken}`)).status).toBe(200);
    expect(
      (await postJson(server, '/api/auth/setup', { token: `${setupToken}x`, email, password })).status,
    ).toBe(403);
    const setup = await postJson(server, '/api/auth/setup', { token: setupToken, email, password });
    expect(setup.status).toBe(201);
    const setupCookie = sessionCookie(setup)!;
    expect((await postJson(server, '/api/auth/login', { email, password: wrongPassword })).status).toBe(401);
    const login = await postJson(server, '/api/auth/login', { email, password });
    const loginCookie = sessionCookie(login)!;
    const { token } = await createToken(server, { cookie: loginCookie }, { name: 'logged?' });
    const authorization = `Bearer ${token}`;
    expect((await fetch(`${server.url}/api/tokens`, { headers: { authorization } })).status).toBe(200);
    expect(
      (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: 'Bearer nonsense' } })).status,
    ).toBe(401);
    const logout = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: loginCookie },
    });
    expect(logout.status).toBe(204);

    const text = lines.join('');
    for (const path of ['/setup', '/api/auth/setup', '/api/auth/login', '/api/tokens', '/api/auth/logout'])
      expect(text).toContain(`"path":"${path}"`);
    const secrets = [
      setupToken,
      password,
      wrongPassword,
      setupCookie.split('=')[1]!,
      loginCookie.split('=')[1]!,
      token,
      token.slice('baton_'.length),
      hashToken(token),
      'nonsense',
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
