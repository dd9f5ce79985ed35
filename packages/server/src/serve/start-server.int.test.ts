import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, sessionCookie } from '../testing/index.js';
import { startServer } from './start-server.js';

describe('baton serve with local accounts', () => {
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'baton-serve-accounts-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const start = (setupToken?: string) =>
    startServer({
      home,
      host: '127.0.0.1',
      port: 0,
      workers: false,
      log: pino({ level: 'silent' }),
      ...(setupToken === undefined ? {} : { setupToken }),
    });

  it('prints a setup link until the owner exists, honours BATON_SETUP_TOKEN, and keeps accounts across restarts', async () => {
    const preset = 'preset-token-from-the-environment';
    const first = await start(preset);
    try {
      expect(first.setupUrl).toBe(`${first.url}/setup?token=${preset}`);
      const page = await fetch(first.setupUrl!);
      expect(page.status).toBe(200);
      const setup = await postJson(first, '/api/auth/setup', {
        token: preset,
        email: 'ada@example.com',
        password: 'correct horse battery staple',
      });
      expect(setup.status).toBe(201);
      const cookie = sessionCookie(setup)!;
      const me = await fetch(`${first.url}/api/auth/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({ via: 'session', role: 'owner' });
      const replayed = await postJson(
        first,
        '/api/tokens',
        { name: 'x' },
        { cookie, 'idempotency-key': 'k' },
      );
      const again = await postJson(first, '/api/tokens', { name: 'x' }, { cookie, 'idempotency-key': 'k' });
      expect(replayed.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      await first.stop(0);
    }

    const second = await start();
    try {
      expect(second.setupUrl).toBeUndefined();
      const login = await postJson(second, '/api/auth/login', {
        email: 'ada@example.com',
        password: 'correct horse battery staple',
      });
      expect(login.status).toBe(200);
    } finally {
      await second.stop(0);
    }
  });
});
