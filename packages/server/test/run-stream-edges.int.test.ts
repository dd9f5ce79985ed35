/**
 * The run stream's contract at its edges, over HTTP against the composed API (PGlite and
 * PostgreSQL): refusals before the stream starts are the usual JSON errors (401 without auth,
 * 404 for another tenant's or a missing run, 422 for a resume point that is not a seq); other
 * Accept values keep the JSON pages; the snapshot is the run's view as `GET /api/runs/:id`
 * answers it; the header wins over `?lastEventId=`; notices alone (probes a minute apart) carry
 * a run’s events — its claims’ too — to the client; keepalive comments come on the interval, on
 * the tenant stream too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';
import { openStream } from './sse-reader.js';
import { until } from './stream-tour.js';

describeOnBackends('the run stream at its edges', (backend) => {
  let api: RunsApi;
  beforeAll(async () => {
    // Probes a minute apart: only notices can deliver within a test.
    api = await RunsApi.start(backend, { pollMs: 60_000, keepaliveMs: 50 });
  });
  afterAll(async () => {
    await api?.close();
  });

  const events = (id: string) => `${api.url}/api/runs/${id}/events`;

  it('refuses before streaming with the usual JSON errors', async () => {
    const { id } = await api.startRun('gated', { brief: 'x' });
    expect((await openStream(events(id))).status).toBe(401);
    const foreign = await openStream(events(id), { headers: api.authorization('other') });
    expect([foreign.status, foreign.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);
    const missing = await openStream(events(`${id}-none`), { headers: api.authorization() });
    expect([missing.status, missing.error?.code]).toEqual([404, 'RUN_NOT_FOUND']);
    const bad = await openStream(events(id), { headers: api.authorization(), lastEventId: 'seven' });
    expect([bad.status, bad.error?.code]).toEqual([422, 'INVALID_REQUEST']);
    const badQuery = await openStream(`${events(id)}?lastEventId=-1`, { headers: api.authorization() });
    expect([badQuery.status, badQuery.error?.code]).toEqual([422, 'INVALID_REQUEST']);
  });

  it('keeps answering JSON pages to other Accept values', async () => {
    const { id } = await api.startRun('gated', { brief: 'x' });
    const page = await api.call('GET', `/api/runs/${id}/events?lastEventId=1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/application\/json/);
    expect(page.body.events.map((event) => event.seq)).toEqual([1, 2, 3].slice(0, page.body.events.length));
  });

  it('starts with the snapshot GET /api/runs/:id answers, then the events after it, claims included, as they commit', async () => {
    const { id } = await api.startRun('gated', { brief: 'CSV export' });
    const view = await api.call('GET', `/api/runs/${id}`);
    const stream = await openStream(events(id), { headers: api.authorization() });
    expect(stream.status).toBe(200);
    await until(() => stream.frames.length > 0, 'the snapshot');
    const [snapshot] = stream.frames;
    expect(snapshot).toMatchObject({ id: view.body.lastEventId, event: 'snapshot' });
    expect(snapshot!.data).toEqual({ seq: Number(view.body.lastEventId), snapshot: view.body });

    // The workers (here: `drive`) claim and run `spec` up to its gate; no probe runs meanwhile.
    await api.drive(id);
    const log = (await api.call('GET', `/api/runs/${id}/events?after=${snapshot!.id}`)).body.events;
    expect(log.map((event) => event.type)).toContain('phase_started');
    await until(() => stream.frames.length === 1 + log.length, 'every event after the snapshot');
    expect(stream.frames.slice(1).map((frame) => [frame.id, frame.event])).toEqual(
      log.map((event) => [String(event.seq), event.type]),
    );
    const waiting = stream.frames.find((frame) => frame.event === 'waiting_for_human')!;
    expect(waiting.data.aliases).toEqual(['interrupt', 'waiting_for_human']);
    stream.close();
  });

  it('resumes at the Last-Event-ID header rather than ?lastEventId=, and sends keepalive comments', async () => {
    const { id } = await api.startRun('gated', { brief: 'x' });
    await api.drive(id);
    const log = (await api.call('GET', `/api/runs/${id}/events`)).body.events;
    const stream = await openStream(`${events(id)}?lastEventId=1`, {
      headers: api.authorization(),
      lastEventId: '3',
    });
    await until(() => stream.frames.length === log.length - 3, 'the events after 3');
    expect(stream.frames.map((frame) => Number(frame.id))).toEqual(log.slice(3).map((event) => event.seq));
    await until(() => stream.comments.includes('keepalive'), 'a keepalive');
    stream.close();
  });

  it('sends keepalive comments on the tenant stream too', async () => {
    const stream = await openStream(`${api.url}/api/events`, { headers: api.authorization() });
    await until(() => stream.frames.length === 1, 'the ready frame');
    await until(() => stream.comments.includes('keepalive'), 'a keepalive');
    stream.close();
  });
});
