/**
 * The run stream over real HTTP against `baton serve` processes (`docs/server.md`, "The run
 * stream"), on the embedded database and on PostgreSQL: a client that disconnects and reconnects
 * with Last-Event-ID twenty times during a run with a gate, an agent, a map and a review loop ends
 * with exactly the stored log, and saw the agent's progress live; the same after the run ended
 * and was rewound, on a stream that stays open.
 */
import { createTestDatabase, type TestDatabase } from '@baton/store/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { ownerToken, spawnServe, type SpawnedServe } from './spawned-serve.js';
import { Follower, STREAM_TOUR, until } from './stream-tour.js';

const TEST_MS = 180_000;

describeOnBackends('the run stream of baton serve', (backend) => {
  let database: TestDatabase | undefined;
  let serve: SpawnedServe;
  let headers: Record<string, string>;

  beforeAll(async () => {
    if (backend.kind === 'postgres') database = await createTestDatabase(backend.adminUrl, 'baton_stream');
    serve = await spawnServe(database === undefined ? {} : { databaseUrl: database.url });
    headers = { authorization: `Bearer ${await ownerToken(serve.url)}` };
    const upload = await fetch(`${serve.url}/api/workflows`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/yaml' },
      body: STREAM_TOUR,
    });
    expect(upload.status, await upload.text()).toBe(201);
  }, TEST_MS);

  afterAll(async () => {
    await serve?.kill();
    await database?.drop();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${serve.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The stored log after `after`, as the JSON pages give it. */
  async function storedLog(runId: string, after: number): Promise<Record<string, unknown>[]> {
    const page = await call('GET', `/api/runs/${runId}/events?after=${after}`);
    expect(page.body.more).toBe(false);
    return page.body.events as Record<string, unknown>[];
  }

  /** The received events, without their aliases, equal the stored log after the snapshot, exactly. */
  async function expectExactlyTheLog(runId: string, follower: Follower): Promise<void> {
    const from = Number(follower.snapshot!.id);
    const received = follower.events.map(({ data: { aliases: _aliases, ...event } }) => event);
    expect(received).toEqual(await storedLog(runId, from));
    expect(follower.events.map((frame) => frame.id)).toEqual(received.map((event) => String(event.seq)));
    expect(follower.events.map((frame) => frame.event)).toEqual(received.map((event) => event.type));
  }

  async function status(runId: string): Promise<string> {
    return (await call('GET', `/api/runs/${runId}`)).body.status as string;
  }

  it(
    'ends with exactly the stored log after twenty reconnections during the run, and after a rewind',
    async () => {
      const started = await call('POST', '/api/runs', { workflow: 'stream-tour' });
      expect(started.status).toBe(201);
      const runId = started.body.id as string;
      const follower = new Follower(`${serve.url}/api/runs/${runId}/events`, headers);
      await follower.connect();
      await until(() => (follower.take(), follower.snapshot !== undefined), 'the snapshot');
      expect(follower.snapshot!.data).toMatchObject({ seq: Number(follower.snapshot!.id) });
      expect((follower.snapshot!.data.snapshot as { id: string }).id).toBe(runId);

      // Up to the gate: reconnect again and again, and a few times while it waits.
      await until(async () => {
        await follower.reconnect();
        return follower.saw('waiting_for_human', 'brief');
      }, 'the gate');
      while (follower.reconnects < 5) await follower.reconnect();

      // Through the agent on one connection: its progress arrives live, without an id.
      expect(
        (await call('POST', `/api/runs/${runId}/phases/brief/decision`, { decision: 'approve' })).status,
      ).toBe(200);
      await until(() => follower.saw('phase_completed', 'draft'), 'the draft');
      expect(
        follower.live.some((frame) => frame.event === 'phase_progress' && frame.data.phaseId === 'draft'),
      ).toBe(true);
      const progress = follower.live.find((frame) => frame.event === 'phase_progress')!;
      expect(progress.data.aliases).toEqual(['agent_progress']);

      // The map and the review loop: reconnect again and again while the run goes on.
      await until(
        async () => {
          await follower.reconnect();
          return follower.saw('run_completed');
        },
        'the run to complete',
        () => ({
          reconnects: follower.reconnects,
          events: follower.events.map((e) => `${e.id}:${e.event}:${JSON.stringify(e.data.phaseId ?? '')}`),
        }),
      );
      expect(follower.reconnects).toBeGreaterThanOrEqual(20);
      expect(follower.saw('review_verdict', 'review')).toBe(true);
      expect(follower.saw('map_expanded', 'tasks')).toBe(true);
      expect(follower.events.find((e) => e.event === 'run_completed')!.data.aliases).toEqual([
        'workflow_finished',
      ]);
      await expectExactlyTheLog(runId, follower);

      // The stream stays open after the end: a rewind's events arrive on it, and on reconnections.
      const ended = follower.lastSeq();
      expect((await call('POST', `/api/runs/${runId}/phases/code/rewind`, { reason: 'again' })).status).toBe(
        200,
      );
      await until(() => follower.lastSeq() > ended, 'the rewind on the open stream');
      await follower.reconnect();
      await until(async () => {
        await follower.reconnect();
        const now = await status(runId);
        if (now === 'running') return false;
        const page = await call('GET', `/api/runs/${runId}/events?after=${follower.lastSeq()}`);
        return (page.body.events as unknown[]).length === 0;
      }, 'the rewound run to settle');
      await expectExactlyTheLog(runId, follower);
      follower.close();
    },
    TEST_MS,
  );

  it(
    'replays the whole log to Last-Event-ID 0 and nothing to an id past the end, then stays open',
    async () => {
      const started = await call('POST', '/api/runs', { workflow: 'stream-tour' });
      const runId = started.body.id as string;
      await until(async () => (await status(runId)) === 'waiting', 'the gate');
      const log = await storedLog(runId, 0);
      const whole = new Follower(`${serve.url}/api/runs/${runId}/events`, headers);
      whole.snapshot = { id: '0', event: 'snapshot', data: {} };
      await whole.connect();
      await until(() => whole.lastSeq() === log.length, 'the whole log');
      await expectExactlyTheLog(runId, whole);
      whole.close();

      const past = new Follower(`${serve.url}/api/runs/${runId}/events`, headers);
      past.snapshot = { id: String(log.length + 100), event: 'snapshot', data: {} };
      await past.connect();
      expect((await call('POST', `/api/runs/${runId}/cancel`, {})).status).toBe(200);
      // Nothing newer than its id: the cancel's events (seq below it) never come; it stays open.
      await until(async () => (await status(runId)) === 'cancelled', 'the cancel');
      past.take();
      expect(past.events).toEqual([]);
      past.close();
    },
    TEST_MS,
  );
});
