import { createHash } from 'node:crypto';
import { foldEvents, NO_USAGE, type RunEvent, type RunState } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';

/** A run's durable record over HTTP: its events, its stored output versions, its model usage. */
export function runLogSuite(api: () => RunsApi): void {
  const get = (path: string) => api().call('GET', path);

  /** A `gated` run taken to the end: the gate approved after one round of changes, signed off. */
  async function completedRun(): Promise<string> {
    const { id } = await api().startRun('gated', { brief: 'CSV export' }, { title: 'Exports' });
    await api().drive(id);
    const decide = `/api/runs/${id}/phases/spec/decision`;
    await api().call('POST', decide, { decision: 'request_changes', feedback: 'again' });
    await api().drive(id);
    await api().call('POST', decide, { decision: 'approve' });
    await api().call('POST', `/api/runs/${id}/phases/signoff/submit`, { content: 'signed' });
    expect((await api().drive(id)).status).toBe('completed');
    return id;
  }

  /** Every event after `after`, `limit` at a time, as a client pages through them. */
  async function pagedEvents(id: string, limit: number, after = 0): Promise<RunEvent[]> {
    const events: RunEvent[] = [];
    for (let cursor = after; ;) {
      const page = await get(`/api/runs/${id}/events?after=${cursor}&limit=${limit}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      events.push(...page.body.events);
      if (!page.body.more) return events;
      expect(page.body.events).toHaveLength(limit);
      cursor = page.body.events.at(-1)!.seq;
    }
  }

  /** The state the CLI computes: the events fetched over HTTP, folded onto what it had. */
  async function folded(id: string, known?: RunState): Promise<RunState> {
    return foldEvents(known, await pagedEvents(id, 4, known?.seq ?? 0));
  }

  describe('the events of a run', () => {
    it('answers every event in order with the seq of the last, as the store has them', async () => {
      const id = await completedRun();
      const stored = await api().events(id);
      const all = await get(`/api/runs/${id}/events`);
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ events: stored, lastEventId: String(stored.at(-1)!.seq), more: false });
      expect(all.body.events.map((event) => event.seq)).toEqual(stored.map((_, i) => i + 1));
      expect(all.body.lastEventId).toBe((await get(`/api/runs/${id}`)).body.lastEventId);
    });

    it('answers the events after `after`, `limit` at a time, saying whether there are more', async () => {
      const id = await completedRun();
      const stored = await api().events(id);
      const last = stored.length;
      const after = await get(`/api/runs/${id}/events?after=5`);
      expect(after.body).toEqual({ events: stored.slice(5), lastEventId: String(last), more: false });
      const limited = await get(`/api/runs/${id}/events?after=2&limit=3`);
      expect(limited.body).toEqual({ events: stored.slice(2, 5), lastEventId: String(last), more: true });
      const exact = await get(`/api/runs/${id}/events?after=${last - 2}&limit=2`);
      expect(exact.body).toEqual({ events: stored.slice(-2), lastEventId: String(last), more: false });
      const end = await get(`/api/runs/${id}/events?after=${last}`);
      expect(end.body).toEqual({ events: [], lastEventId: String(last), more: false });
      const beyond = await get(`/api/runs/${id}/events?after=${last + 10}`);
      expect(beyond.body).toEqual({ events: [], lastEventId: String(last), more: false });
      for (const limit of [1, 2, 5, last])
        expect(await pagedEvents(id, limit), `limit ${limit}`).toEqual(stored);
    });

    it('refuses a missing run with 404 and `after`/`limit` off their range with 422', async () => {
      await api().expectRefused(await get('/api/runs/nope/events'), 404, 'RUN_NOT_FOUND');
      const { id } = await api().startRun('gated', { brief: 'x' });
      for (const [query, field] of [
        ['after=-1', 'query.after'],
        ['after=x', 'query.after'],
        ['limit=0', 'query.limit'],
        ['limit=5001', 'query.limit'],
        ['limit=1.5', 'query.limit'],
      ] as const) {
        const answer = await get(`/api/runs/${id}/events?${query}`);
        await api().expectRefused(answer, 422, 'INVALID_REQUEST');
        expect(answer.body.error.problems, query).toEqual([expect.objectContaining({ path: field })]);
      }
    });

    it('folds into the state the store has, at every step of a run, all at once or from what a client had', async () => {
      const { id } = await api().startRun('gated', { brief: 'CSV export' }, { title: 'Folded' });
      const expectFolds = async (known?: RunState): Promise<RunState> => {
        const state = await api().store.getRun(id);
        expect(await folded(id)).toEqual(state);
        const incremental = await folded(id, known);
        expect(incremental).toEqual(state);
        return incremental;
      };
      let known = await expectFolds();
      await api().drive(id);
      known = await expectFolds(known);
      await api().call('POST', `/api/runs/${id}/phases/spec/decision`, {
        decision: 'edit',
        content: { title: 'Edited' },
      });
      known = await expectFolds(known);
      await api().call('PATCH', `/api/runs/${id}`, { title: 'Renamed' });
      await api().call('POST', `/api/runs/${id}/phases/signoff/submit`, { content: 'signed' });
      await api().drive(id);
      known = await expectFolds(known);
      await api().call('POST', `/api/runs/${id}/phases/spec/rewind`, { inputs: { brief: 'JSON export' } });
      await api().drive(id);
      known = await expectFolds(known);
      expect(known).toMatchObject({ title: 'Renamed', status: 'waiting' });
      const fork = await api().call('POST', `/api/runs/${id}/fork`, { from: 'signoff' });
      expect(foldEvents(undefined, await pagedEvents(fork.body.id, 3))).toEqual(
        await api().store.getRun(fork.body.id),
      );
    });
  });

  describe("a phase's stored versions", () => {
    it('answers each version with its content, media type, size and hash', async () => {
      const id = await completedRun();
      const first = await get(`/api/runs/${id}/phases/spec/versions/1`);
      expect(first.status).toBe(200);
      const content = '{"title": "CSV export"}';
      expect(first.body).toEqual({
        runId: id,
        phaseId: 'spec',
        version: 1,
        attempt: 1,
        mediaType: 'application/json',
        size: Buffer.byteLength(content),
        sha256: createHash('sha256').update(content).digest('hex'),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        content,
      });
      expect((await get(`/api/runs/${id}/phases/spec/versions/2`)).body).toMatchObject({
        version: 2,
        attempt: 2,
        content,
      });
      const signed = await get(`/api/runs/${id}/phases/signoff/versions/1`);
      expect(signed.body).toMatchObject({ mediaType: 'text/plain', content: 'signed' });
      const stored = await api().store.getArtifact(id, 'spec', 1);
      expect(first.body.createdAt).toBe(new Date(stored!.createdAt).toISOString());
    });

    it('refuses a version the phase does not have, an unknown phase (404 PHASE_NOT_FOUND), a missing run (404 RUN_NOT_FOUND), a bad version (422)', async () => {
      const id = await completedRun();
      const missing = await get(`/api/runs/${id}/phases/spec/versions/3`);
      await api().expectRefused(missing, 404, 'PHASE_NOT_FOUND');
      expect(missing.body.error.message).toMatch(/no version 3 of "spec"/);
      await api().expectRefused(await get(`/api/runs/${id}/phases/nope/versions/1`), 404, 'PHASE_NOT_FOUND');
      await api().expectRefused(await get('/api/runs/nope/phases/spec/versions/1'), 404, 'RUN_NOT_FOUND');
      for (const version of ['0', '-1', 'one', '1.5']) {
        const answer = await get(`/api/runs/${id}/phases/spec/versions/${version}`);
        await api().expectRefused(answer, 422, 'INVALID_REQUEST');
      }
    });
  });

  describe("a run's model usage", () => {
    it('answers zero for a run without model calls, then the totals per phase and for the run', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      expect((await get(`/api/runs/${id}/usage`)).body).toEqual({ total: NO_USAGE, phases: [] });
      const call = {
        runId: id,
        phaseId: 'spec',
        attempt: 1,
        agent: 'writer',
        provider: 'anthropic',
        model: 'claude-x',
        inputTokens: 100,
        outputTokens: 20,
        cachedTokens: 10,
        costUsd: 0.5,
        latencyMs: 900,
        status: 'ok' as const,
        at: Date.UTC(2030, 0, 1),
      };
      await api().store.recordModelCall(call);
      await api().store.recordModelCall({ ...call, costUsd: null, model: 'claude-y' });
      await api().store.recordModelCall({ ...call, phaseId: 'publish', inputTokens: 1 });
      const usage = await get(`/api/runs/${id}/usage`);
      expect(usage.status).toBe(200);
      expect(usage.body).toEqual(JSON.parse(JSON.stringify(await api().store.modelUsage(id))));
      expect(usage.body).toMatchObject({
        total: { calls: 3, inputTokens: 201, outputTokens: 60, costUsd: 1, unpricedCalls: 1 },
        phases: [
          { phaseId: 'spec', calls: 2, model: 'claude-y', costUsd: 0.5, unpricedCalls: 1 },
          { phaseId: 'publish', calls: 1, inputTokens: 1 },
        ],
      });
    });

    it('refuses a missing run with 404', async () => {
      await api().expectRefused(await get('/api/runs/nope/usage'), 404, 'RUN_NOT_FOUND');
    });
  });
}
