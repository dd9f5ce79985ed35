import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Answer, RunsApi } from '../runs-harness.js';

/** `Idempotency-Key` on the runs routes: a retried request does its work once. */
export function runIdempotencySuite(api: () => RunsApi): void {
  const create = (body: unknown, key: string, as: 'local' | 'other' = 'local'): Promise<Answer> =>
    api().call('POST', '/api/runs', body, { as, headers: { 'idempotency-key': key } });

  const runsOf = async (workflow: string): Promise<string[]> =>
    (await api().store.listRuns({ workflowId: workflow })).map((run) => run.id);

  describe('Idempotency-Key on POST /api/runs', () => {
    it('answers a retry with the same key and body with the first response, and creates one run', async () => {
      const workflow = await api().uniqueWorkflow();
      const key = randomUUID();
      const body = { workflow, title: 'Once' };
      const first = await create(body, key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const retry = await create(body, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('content-type')).toMatch(/^application\/json/);
      expect(retry.body).toEqual(first.body);
      expect(retry.body.id).toBe(first.body.id);
      expect(await runsOf(workflow)).toEqual([first.body.id]);
      // Without the key, the same body is a new request.
      const fresh = await api().call('POST', '/api/runs', body);
      expect(fresh.body.id).not.toBe(first.body.id);
      expect((await runsOf(workflow)).sort()).toEqual([first.body.id, fresh.body.id].sort());
    });

    it('refuses the same key with another body (422 IDEMPOTENCY_KEY_REUSED) and creates nothing', async () => {
      const workflow = await api().uniqueWorkflow();
      const key = randomUUID();
      const first = await create({ workflow }, key);
      expect(first.status).toBe(201);
      for (const other of [
        { workflow, title: 'Another' },
        { workflow: 'gated', inputs: { brief: 'x' } },
      ]) {
        const before = await api().store.listRuns();
        const reused = await create(other, key);
        await api().expectRefused(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
        expect(reused.body.error.message).toMatch(/use a new key/);
        expect(await api().store.listRuns()).toEqual(before);
      }
      expect(await runsOf(workflow)).toEqual([first.body.id]);
    });

    it('keeps no answer for a refused request: the corrected request with the same key creates the run', async () => {
      const key = randomUUID();
      const before = await api().store.listRuns();
      const refused = await create({ workflow: 'gated', inputs: { count: 1 } }, key);
      await api().expectRefused(refused, 422, 'INVALID_INPUT');
      expect(await api().store.listRuns()).toEqual(before);
      const fixed = await create({ workflow: 'gated', inputs: { brief: 'fixed' } }, key);
      expect(fixed.status).toBe(201);
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
      expect(fixed.body.inputs).toEqual({ brief: 'fixed' });
    });

    it('scopes a key to its tenant and credential: another tenant’s request with the same key runs on its own', async () => {
      const workflow = await api().uniqueWorkflow();
      const key = randomUUID();
      const mine = await create({ workflow }, key);
      expect(mine.status).toBe(201);
      const theirs = await create({ workflow }, key, 'other');
      await api().expectRefused(theirs, 404, 'WORKFLOW_NOT_FOUND');
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(await runsOf(workflow)).toEqual([mine.body.id]);
    });
  });

  describe('Idempotency-Key on a decision', () => {
    it('records a retried decision once and answers the retry as the first time', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      expect((await api().drive(id)).status).toBe('waiting');
      const key = randomUUID();
      const decide = () =>
        api().call(
          'POST',
          `/api/runs/${id}/phases/spec/decision`,
          { decision: 'approve' },
          { headers: { 'idempotency-key': key } },
        );
      const first = await decide();
      expect(first.status).toBe(200);
      const events = await api().events(id);
      const retry = await decide();
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await api().events(id)).toEqual(events);
      expect(events.filter((event) => event.type === 'human_decision')).toHaveLength(1);
    });
  });
}
