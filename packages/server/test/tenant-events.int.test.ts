/**
 * The tenant stream, `GET /api/events`, over real HTTP on a server composed as `baton serve`
 * composes it, on PGlite and on PostgreSQL: its refusals, where it starts, what a dashboard that
 * keeps reconnecting with its last id ends up knowing, tenants kept apart, deletions.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';
import { waitFor } from './serve-harness.js';
import { openSse, type SseConnection, type SseFrame } from './sse-frames.js';

/** What a `run` frame carries (the part these tests read). */
interface RunFrame {
  readonly id: string;
  readonly workflow: string;
  readonly status: string;
  readonly lastEventId: string;
  readonly stage: null;
  readonly waitingFor: string[];
  readonly running: string[];
  readonly usage: { readonly calls: number };
}

/** A dashboard: the newest state of each run it was told of, and the cursor to resume from. */
class Dashboard {
  readonly runs = new Map<string, RunFrame>();
  readonly deleted = new Set<string>();
  cursor: string | undefined;
  frames = 0;

  apply(frame: SseFrame): void {
    this.frames++;
    expect(frame.id, `a ${frame.event} frame has an id`).toBeDefined();
    this.cursor = frame.id;
    if (frame.event === 'run') {
      const run = JSON.parse(frame.data) as RunFrame;
      const before = this.runs.get(run.id);
      // A run's state only moves forward: never an older one after a newer one.
      if (before !== undefined)
        expect(Number(run.lastEventId)).toBeGreaterThanOrEqual(Number(before.lastEventId));
      this.runs.set(run.id, run);
    } else if (frame.event === 'run_deleted') {
      const { id } = JSON.parse(frame.data) as { id: string };
      this.runs.delete(id);
      this.deleted.add(id);
    }
  }
}

describeOnBackends('the tenant stream', (backend) => {
  let api: RunsApi | undefined;
  beforeAll(async () => {
    api = await RunsApi.start(backend);
  });
  afterAll(async () => {
    await api?.close();
  });
  const current = (): RunsApi => {
    if (api === undefined) throw new Error('the server did not start');
    return api;
  };
  const connect = (
    as: 'local' | 'other' | 'none',
    resume?: { readonly header?: string; readonly query?: string },
  ): Promise<SseConnection> => {
    const query = resume?.query === undefined ? '' : `?lastEventId=${encodeURIComponent(resume.query)}`;
    return openSse(`${current().url}/api/events${query}`, {
      ...current().authorization(as),
      ...(resume?.header === undefined ? {} : { 'last-event-id': resume.header }),
    });
  };
  /** Opens a stream and expects its first frame, `ready`; the connection and that frame. */
  const ready = async (
    as: 'local' | 'other',
    resume?: { readonly header?: string; readonly query?: string },
  ): Promise<{ connection: SseConnection; frame: SseFrame }> => {
    const connection = await connect(as, resume);
    expect(connection.status).toBe(200);
    const frame = await connection.next(30_000);
    expect(frame?.event).toBe('ready');
    return { connection, frame: frame! };
  };
  /** Reads frames into `dashboard` until `done` holds of it (fails after a minute). */
  const readUntil = (connection: SseConnection, dashboard: Dashboard, done: () => boolean, what: string) =>
    waitFor(async () => {
      if (done()) return true;
      const frame = await connection.next(200);
      if (frame !== undefined) dashboard.apply(frame);
      return done() ? true : undefined;
    }, what);

  it('refuses a request without credentials (401) and a cursor it did not give out (422)', async () => {
    const anonymous = await connect('none');
    expect(anonymous.status).toBe(401);
    anonymous.close();
    for (const bad of ['yesterday', '12', '99999999999999999999999:x']) {
      const refused = await connect('local', { header: bad });
      expect(refused.status).toBe(422);
      refused.close();
    }
  });

  it('starts at the present without a cursor, then delivers a new run and each change of it', async () => {
    const api = current();
    const before = await api.startRun('flaky');
    const { connection, frame } = await ready('local');
    expect(JSON.parse(frame.data)).toEqual({ resumed: false });
    const dashboard = new Dashboard();
    dashboard.apply(frame);
    const run = await api.startRun('gated', { brief: 'stream' });
    await readUntil(connection, dashboard, () => dashboard.runs.has(run.id), 'the new run');
    await api.drive(run.id);
    await readUntil(
      connection,
      dashboard,
      () => dashboard.runs.get(run.id)?.status === 'waiting',
      'the run waiting at its gate',
    );
    expect(dashboard.runs.get(run.id)).toMatchObject({
      workflow: 'gated',
      stage: null,
      waitingFor: ['spec'],
      running: [],
      usage: { calls: 0 },
    });
    // The run made before the stream opened is the list's to show, not the stream's.
    expect(dashboard.runs.has(before.id)).toBe(false);
    connection.close();

    // Resuming by the query parameter (for clients that cannot send headers) starts at that cursor.
    const resumed = await ready('local', { query: dashboard.cursor! });
    expect(resumed.frame.id).toBe(dashboard.cursor);
    expect(JSON.parse(resumed.frame.data)).toEqual({ resumed: true });
    resumed.connection.close();
  });

  it("misses no run's final status for a dashboard that reconnects 20 times with its last id during several runs", async () => {
    const api = current();
    const dashboard = new Dashboard();
    const first = await ready('local');
    dashboard.apply(first.frame);
    first.connection.close();

    // Each run's steps, in order; the steps of different runs overlap.
    const scripts: (() => Promise<unknown>)[][] = [];
    const ids: string[] = [];
    const gated = (n: number): (() => Promise<unknown>)[] => [
      async () => (ids[n] = (await api.startRun('gated', { brief: `run ${n}` })).id),
      () => api.drive(ids[n]!),
      () => api.call('POST', `/api/runs/${ids[n]}/phases/spec/decision`, { decision: 'approve' }),
      () => api.drive(ids[n]!),
      () => api.call('POST', `/api/runs/${ids[n]}/phases/signoff/submit`, { content: 'signed' }),
      () => api.drive(ids[n]!),
    ];
    scripts.push(gated(0), gated(1));
    scripts.push([async () => (ids[2] = (await api.startRun('flaky')).id), () => api.drive(ids[2]!)]);
    scripts.push([
      async () => (ids[3] = (await api.startRun('gated', { brief: 'cancelled' })).id),
      () => api.call('POST', `/api/runs/${ids[3]}/cancel`, {}),
    ]);
    const chains: Promise<unknown>[] = scripts.map(() => Promise.resolve());
    const next = scripts.map(() => 0);

    for (let i = 0; i < 20; i++) {
      // Move one run a step on (in the background), then reconnect and read a little.
      const r = i % scripts.length;
      const step = scripts[r]![next[r]!];
      if (step !== undefined) {
        next[r]!++;
        chains[r] = chains[r]!.then(step);
      }
      const { connection, frame } = await ready('local', { header: dashboard.cursor! });
      expect(frame.id).toBe(dashboard.cursor);
      for (let k = 0; k <= i % 3; k++) {
        const got = await connection.next(150);
        if (got === undefined) break;
        dashboard.apply(got);
      }
      connection.close();
    }
    // The steps not taken yet, then the end of every run.
    for (const [r, script] of scripts.entries()) {
      for (const step of script.slice(next[r])) chains[r] = chains[r]!.then(step);
    }
    await Promise.all(chains);

    const finals = new Map<string, string>();
    for (const id of ids) finals.set(id, (await api.call('GET', `/api/runs/${id}`)).body.status);
    expect([...finals.values()]).toEqual(['completed', 'completed', 'failed', 'cancelled']);
    const last = await ready('local', { header: dashboard.cursor! });
    await readUntil(
      last.connection,
      dashboard,
      () => ids.every((id) => dashboard.runs.get(id)?.status === finals.get(id)),
      "every run's final status",
    );
    last.connection.close();
    for (const id of ids) {
      const view = (await api.call('GET', `/api/runs/${id}`)).body;
      expect(dashboard.runs.get(id)).toMatchObject({ status: view.status, lastEventId: view.lastEventId });
    }
  });

  it("never shows another tenant's runs", async () => {
    const api = current();
    const mine = await ready('local');
    const theirs = await ready('other');
    const dashboard = new Dashboard();
    const others = new Dashboard();
    await api.uploadWorkflow('id: solo\nphases:\n  - { id: ask, kind: human }\n', 'other');
    const foreign = await api.call('POST', '/api/runs', { workflow: 'solo' }, { as: 'other' });
    expect(foreign.status).toBe(201);
    const own = await api.startRun('flaky');
    await readUntil(mine.connection, dashboard, () => dashboard.runs.has(own.id), 'our run');
    await readUntil(
      theirs.connection,
      others,
      () => others.runs.has(foreign.body.id),
      "the other tenant's run",
    );
    expect(dashboard.runs.has(foreign.body.id)).toBe(false);
    expect(others.runs.has(own.id)).toBe(false);
    expect([...others.runs.keys()]).toEqual([foreign.body.id]);
    mine.connection.close();
    theirs.connection.close();
  });

  it('tells a dashboard that a run was deleted', async () => {
    const api = current();
    const run = await api.startRun('flaky');
    await api.drive(run.id);
    const { connection, frame } = await ready('local');
    const dashboard = new Dashboard();
    dashboard.apply(frame);
    expect((await api.call('DELETE', `/api/runs/${run.id}`)).status).toBe(204);
    await readUntil(connection, dashboard, () => dashboard.deleted.has(run.id), 'the deletion');
    connection.close();
  });
});
