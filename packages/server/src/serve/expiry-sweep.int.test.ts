/**
 * The expiry sweep deletes what can no longer be used — ended and expired sessions, revoked tokens,
 * tokens expired for over 30 days, idempotency keys past 24 hours, setup tokens of a tenant with an
 * owner — and keeps the rest. Time moves by a manual clock, shared by the accounts, the
 * idempotency keys and the sweep: no test waits for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { migrate, openPostgresDb, type Queryable } from '@baton/store';
import { createTestDatabase, describeOnPostgres } from '@baton/store/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertSetupToken } from '../sql/insert-setup-token.js';
import {
  createOwner,
  sessionCookie,
  createToken,
  describeOnBackends,
  manualClock,
  openTestDatabase,
  postJson,
  type ManualClock,
  type TestDatabase,
  type TestServer,
  startTestServer,
} from '../testing/index.js';
import { startExpirySweep, sweepExpired } from './expiry-sweep.js';
import { startServer } from './start-server.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const silent = pino({ level: 'silent' });

async function count(db: Queryable, table: string, where = 'true'): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return rows[0]!.n;
}

/** Polls `check` until it holds; fails after a minute. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeOnBackends('the expiry sweep', (backend) => {
  let database: TestDatabase;
  let server: TestServer;
  let clock: ManualClock;

  beforeEach(async () => {
    database = await openTestDatabase(backend);
    clock = manualClock();
    server = await startTestServer(database.db, { accounts: { clock } });
  });
  afterEach(async () => {
    await server.close();
    await database.close();
  });

  const tokenNames = async (authorization: string): Promise<string[]> => {
    const response = await fetch(`${server.url}/api/tokens`, { headers: { authorization } });
    expect(response.status).toBe(200);
    // Made at one instant of the manual clock: their order is the ids', so sort the names.
    return ((await response.json()) as { tokens: { name: string }[] }).tokens.map((t) => t.name).sort();
  };

  it('deletes what expired or ended and keeps what is live, as time passes', async () => {
    const { db } = database;
    const owner = await createOwner(server);
    const session = { cookie: owner.cookie };
    const forever = await createToken(server, session, { name: 'forever' });
    await createToken(server, session, { name: 'one day', expiresInDays: 1 });
    const revoked = await createToken(server, session, { name: 'revoked' });
    const del = await fetch(`${server.url}/api/tokens/${revoked.id}`, {
      method: 'DELETE',
      headers: session,
    });
    expect(del.status).toBe(204);
    // A second session, ended by its logout.
    const login = await postJson(server, '/api/auth/login', {
      email: owner.email,
      password: owner.password,
    });
    const ended = login.headers.getSetCookie()[0]!.split(';')[0]!;
    expect((await postJson(server, '/api/auth/logout', {}, { cookie: ended })).status).toBe(204);
    // An idempotency key, and a setup token recorded while setup was done elsewhere.
    const keyed = await postJson(
      server,
      '/api/tokens',
      { name: 'keyed' },
      { ...session, 'idempotency-key': 'k1' },
    );
    expect(keyed.status).toBe(201);
    await insertSetupToken(db, 'local', 'a'.repeat(64), clock.now());
    const bearer = `Bearer ${forever.token}`;

    // Now: the ended session, the revoked token and the stray setup token go.
    expect(await sweepExpired(db, clock.now())).toEqual({
      sessions: 1,
      apiTokens: 1,
      idempotencyKeys: 0,
      setupTokens: 1,
      runTombstones: 0,
    });
    expect(await count(db, 'sessions')).toBe(1);
    expect(await tokenNames(bearer)).toEqual(['forever', 'keyed', 'one day']);

    // Two days on: the key's 24 hours are over; the expired token stays listed, and stored.
    clock.advance(2 * DAY_MS);
    expect(await sweepExpired(db, clock.now())).toEqual({
      sessions: 0,
      apiTokens: 0,
      idempotencyKeys: 1,
      setupTokens: 0,
      runTombstones: 0,
    });
    expect(await count(db, 'idempotency_keys')).toBe(0);
    expect(await tokenNames(bearer)).toEqual(['forever', 'keyed', 'one day']);
    expect(await fetch(`${server.url}/api/auth/me`, { headers: session }).then((r) => r.status)).toBe(200);

    // 32 days from the start: the owner's session has expired (30 days), the token expired over
    // 30 days ago — the list leaves it out before any sweep, then the sweep deletes it.
    clock.advance(30 * DAY_MS);
    expect(await tokenNames(bearer)).toEqual(['forever', 'keyed']);
    expect(await count(db, 'api_tokens')).toBe(3);
    expect(await sweepExpired(db, clock.now())).toEqual({
      sessions: 1,
      apiTokens: 1,
      idempotencyKeys: 0,
      setupTokens: 0,
      runTombstones: 0,
    });
    expect(await count(db, 'sessions')).toBe(0);
    expect(await tokenNames(bearer)).toEqual(['forever', 'keyed']);
    // The tokens that never expire still work, and nothing more is deleted.
    expect(await sweepExpired(db, clock.now())).toEqual({
      sessions: 0,
      apiTokens: 0,
      idempotencyKeys: 0,
      setupTokens: 0,
      runTombstones: 0,
    });
  });

  it('keeps the setup tokens of a tenant that has no owner yet', async () => {
    expect(server.setupToken).toBeDefined();
    clock.advance(365 * DAY_MS);
    expect((await sweepExpired(database.db, clock.now())).setupTokens).toBe(0);
    await createOwner(server);
    expect(await count(database.db, 'setup_tokens')).toBe(0);
  });

  it('sweeps at once when started, then again every interval, until stopped', async () => {
    const { db } = database;
    const owner = await createOwner(server);
    const logout = () => postJson(server, '/api/auth/logout', {}, { cookie: owner.cookie });
    expect((await logout()).status).toBe(204);
    const sweep = startExpirySweep({ db, log: silent, clock, intervalMs: 1 });
    try {
      await until(async () => (await count(db, 'sessions')) === 0, 'the first sweep');
      const again = await postJson(server, '/api/auth/login', {
        email: owner.email,
        password: owner.password,
      });
      const cookie = again.headers.getSetCookie()[0]!.split(';')[0]!;
      expect((await postJson(server, '/api/auth/logout', {}, { cookie })).status).toBe(204);
      await until(async () => (await count(db, 'sessions')) === 0, 'a later sweep');
    } finally {
      await sweep.stop();
    }
  });
});

describeOnPostgres('the expiry sweep of servers sharing one PostgreSQL', (adminUrl) => {
  it('deletes each expired record once when several servers sweep at once, and fails none', async () => {
    const database = await openTestDatabase({ kind: 'postgres', adminUrl });
    const clock = manualClock();
    const server = await startTestServer(database.db, { accounts: { clock } });
    try {
      const owner = await createOwner(server);
      for (let i = 0; i < 20; i++) {
        const login = await postJson(server, '/api/auth/login', owner);
        expect(
          (await postJson(server, '/api/auth/logout', {}, { cookie: sessionCookie(login)! })).status,
        ).toBe(204);
        await createToken(server, { cookie: owner.cookie }, { name: `t${i}`, expiresInDays: 1 });
      }
      clock.advance(40 * DAY_MS);
      const servers = [
        database.db,
        database.connectAgain(),
        database.connectAgain(),
        database.connectAgain(),
      ];
      const counts = await Promise.all(servers.map((db) => sweepExpired(db, clock.now())));
      const total = (kind: 'sessions' | 'apiTokens') => counts.reduce((sum, each) => sum + each[kind], 0);
      // 20 ended sessions and the owner's own, expired by now; 20 tokens expired for over 30 days.
      expect(total('sessions')).toBe(21);
      expect(total('apiTokens')).toBe(20);
      expect(await count(database.db, 'sessions')).toBe(0);
      expect(await count(database.db, 'api_tokens')).toBe(0);
    } finally {
      await server.close();
      await database.close();
    }
  });

  it('runs when baton serve starts', async () => {
    const database = await createTestDatabase(adminUrl, 'baton_sweep');
    const home = await mkdtemp(join(tmpdir(), 'baton-sweep-'));
    const db = openPostgresDb({ connectionString: database.url, maxConnections: 1 });
    try {
      // An ended session, made by a server that does not sweep (the app alone).
      await migrate(db);
      const app = await startTestServer(db);
      const owner = await createOwner(app);
      expect((await postJson(app, '/api/auth/logout', {}, { cookie: owner.cookie })).status).toBe(204);
      await app.close();
      expect(await count(db, 'sessions', 'ended_at IS NOT NULL')).toBe(1);

      const server = await startServer({
        home,
        databaseUrl: database.url,
        host: '127.0.0.1',
        port: 0,
        workers: false,
        log: silent,
      });
      try {
        await until(async () => (await count(db, 'sessions')) === 0, 'the sweep of baton serve');
      } finally {
        await server.stop(0);
      }
    } finally {
      await db.close();
      await database.drop();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('the expiry sweep on a database that fails', () => {
  it('logs the failure and sweeps again at the next interval', async () => {
    let calls = 0;
    const failing: Queryable = {
      query: () => {
        calls += 1;
        return Promise.reject(new Error('connection refused'));
      },
      exec: () => Promise.reject(new Error('connection refused')),
    };
    const lines: string[] = [];
    const log = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const sweep = startExpirySweep({ db: failing, log, clock: manualClock(), intervalMs: 1 });
    try {
      await until(() => Promise.resolve(calls >= 3 && lines.length >= 2), 'three sweeps');
    } finally {
      await sweep.stop();
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      msg: 'the expiry sweep failed; it runs again at the next interval',
      err: { message: 'connection refused' },
    });
  });
});
