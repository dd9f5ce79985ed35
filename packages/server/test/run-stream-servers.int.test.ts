/**
 * The run stream across `baton serve` processes on one PostgreSQL database: a client of server A
 * (no workers) follows a run that server B's workers drive and sees every event; then A is killed
 * (SIGKILL) mid-run, the client reconnects to B with its last id, and ends with exactly the log.
 */
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '@baton/store/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ownerToken, spawnServe, type SpawnedServe } from './spawned-serve.js';
import { Follower, STREAM_TOUR, until } from './stream-tour.js';

const TEST_MS = 180_000;

describeOnPostgres('the run stream of two servers on one database', (adminUrl) => {
  let database: TestDatabase;
  let a: SpawnedServe;
  let b: SpawnedServe;
  let headers: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(adminUrl, 'baton_streams');
    a = await spawnServe({ databaseUrl: database.url, workers: false });
    headers = { authorization: `Bearer ${await ownerToken(a.url)}` };
    b = await spawnServe({ databaseUrl: database.url });
  }, TEST_MS);

  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await database?.drop();
  });

  async function call(url: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(typeof body === 'string' ? { 'content-type': 'application/yaml' } : {}),
        ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it(
    "follows on one server a run the other's workers drive, and after that server is killed, resumes on the other with exactly the log",
    async () => {
      expect((await call(a.url, 'POST', '/api/workflows', STREAM_TOUR)).status).toBe(201);
      const started = await call(a.url, 'POST', '/api/runs', { workflow: 'stream-tour' });
      expect(started.status).toBe(201);
      const runId = started.body.id as string;
      const follower = new Follower(`${a.url}/api/runs/${runId}/events`, headers);
      // From the first event (Last-Event-ID: 0): every event B's workers write must come through A.
      follower.snapshot = { id: '0', event: 'snapshot', data: {} };
      await follower.connect();

      // B's workers run `brief` and stop at its gate: A's client hears of it.
      await until(() => follower.saw('waiting_for_human', 'brief'), 'the gate, through server A');
      expect(follower.saw('phase_started', 'brief')).toBe(true);
      expect(
        (await call(a.url, 'POST', `/api/runs/${runId}/phases/brief/decision`, { decision: 'approve' }))
          .status,
      ).toBe(200);
      await until(() => follower.saw('phase_started', 'tasks[0].build'), 'the map, through server A');

      // Kill A mid-run; resume on B from the last id received.
      follower.take();
      const killed = new Promise((resolve) => a.child.once('exit', resolve));
      a.child.kill('SIGKILL');
      await killed;
      await follower.reconnect(`${b.url}/api/runs/${runId}/events`);
      await until(() => follower.saw('run_completed'), 'the end of the run, through server B');

      const log = await call(b.url, 'GET', `/api/runs/${runId}/events?after=0`);
      const received = follower.events.map(({ data: { aliases: _aliases, ...event } }) => event);
      expect(received).toEqual(log.body.events);
      follower.close();
    },
    TEST_MS,
  );
});
