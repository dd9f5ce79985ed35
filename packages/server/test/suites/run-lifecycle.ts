import { randomBytes } from 'node:crypto';
import { buildSnapshot } from '@baton/runtime';
import { describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';

/** Creating, listing, reading, renaming and deleting runs. */
export function runLifecycleSuite(api: () => RunsApi): void {
  describe('creating a run', () => {
    it('answers 201 with the new run: its id, inputs, phases, no pending decisions and its last event', async () => {
      const run = await api().startRun('gated', { brief: 'CSV export', count: '2' });
      expect(run.id).toMatch(/^gated-[a-z0-9]{6}$/);
      expect(run).toMatchObject({
        workflow: 'gated',
        status: 'running',
        inputs: { brief: 'CSV export', count: 2 },
        createdBy: 'tester',
        pendingDecisions: [],
        usage: { calls: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 },
      });
      expect(run.phases.map((phase: { id: string }) => phase.id)).toEqual(['spec', 'signoff', 'publish']);
      const events = await api().events(run.id);
      expect(run.lastEventId).toBe(String(events.at(-1)!.seq));
      expect(events[0]).toMatchObject({ type: 'run_created', by: 'tester' });
    });

    it('refuses an unknown workflow or version with 404, inputs off the schema with 422 naming the field, and creates nothing', async () => {
      const before = await api().store.listRuns();
      const unknown = await api().call('POST', '/api/runs', { workflow: 'nope' });
      await api().expectRefused(unknown, 404, 'WORKFLOW_NOT_FOUND');
      const version = await api().call('POST', '/api/runs', {
        workflow: 'gated',
        version: 7,
        inputs: { brief: 'x' },
      });
      await api().expectRefused(version, 404, 'WORKFLOW_NOT_FOUND');
      const missing = await api().call('POST', '/api/runs', { workflow: 'gated', inputs: { count: 1 } });
      await api().expectRefused(missing, 422, 'INVALID_INPUT');
      expect(missing.body.error.problems).toEqual([expect.objectContaining({ path: 'inputs.brief' })]);
      const wrong = await api().call('POST', '/api/runs', {
        workflow: 'gated',
        inputs: { brief: 'x', count: 'many' },
      });
      await api().expectRefused(wrong, 422, 'INVALID_INPUT');
      expect(wrong.body.error.problems).toEqual([expect.objectContaining({ path: 'inputs.count' })]);
      expect(await api().store.listRuns()).toEqual(before);
    });

    it('refuses a body off its schema with 422 naming the field, malformed JSON with 400, another media type with 415', async () => {
      const before = await api().store.listRuns();
      const extra = await api().call('POST', '/api/runs', { workflow: 'gated', colour: 'blue' });
      await api().expectRefused(extra, 422, 'INVALID_REQUEST');
      expect(extra.body.error.message).toMatch(/colour/);
      const noWorkflow = await api().call('POST', '/api/runs', { inputs: {} });
      await api().expectRefused(noWorkflow, 422, 'INVALID_REQUEST');
      expect(noWorkflow.body.error.problems).toEqual([expect.objectContaining({ path: 'body.workflow' })]);
      const badVersion = await api().call('POST', '/api/runs', { workflow: 'gated', version: 1.5 });
      expect(badVersion.body.error.problems).toEqual([expect.objectContaining({ path: 'body.version' })]);
      const malformed = await api().call('POST', '/api/runs', undefined, { raw: '{"workflow": "gated",' });
      await api().expectRefused(malformed, 400, 'MALFORMED_JSON');
      const text = await api().call('POST', '/api/runs', undefined, {
        raw: 'gated',
        contentType: 'text/plain',
      });
      await api().expectRefused(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await api().store.listRuns()).toEqual(before);
    });

    it.todo('creates a run with a title (needs the store’s set_title)');
  });

  describe('reading a run', () => {
    it('answers the snapshot `baton show --json` prints, with the decisions the run waits for', async () => {
      const { id } = await api().startRun('gated', { brief: 'CSV export' });
      const state = await api().drive(id);
      expect(state.status).toBe('waiting');
      const answer = await api().call('GET', `/api/runs/${id}`);
      expect(answer.status).toBe(200);
      const snapshot = JSON.parse(JSON.stringify(await buildSnapshot(api().store, state))) as object;
      expect(answer.body).toMatchObject(snapshot);
      expect(answer.body.phases[0]).toMatchObject({
        id: 'spec',
        status: 'waiting_for_human',
        output: { title: 'CSV export' },
      });
      expect(answer.body.pendingDecisions).toEqual([
        {
          phaseId: 'spec',
          source: 'gate',
          reason: expect.any(String) as unknown,
          since: expect.any(String) as unknown,
          decisions: ['approve', 'reject', 'request_changes', 'edit'],
        },
      ]);
      expect(answer.body.lastEventId).toBe(String(state.seq));
    });

    it('answers 404 RUN_NOT_FOUND for a run that does not exist or is another tenant’s', async () => {
      await api().expectRefused(await api().call('GET', '/api/runs/nope'), 404, 'RUN_NOT_FOUND');
      const { id } = await api().startRun('gated', { brief: 'x' });
      await api().expectRefused(
        await api().call('GET', `/api/runs/${id}`, undefined, { token: 'other' }),
        404,
        'RUN_NOT_FOUND',
      );
      expect((await api().call('GET', `/api/runs/${id}`, undefined, { token: 'nobody' })).status).toBe(401);
    });
  });

  describe('listing runs', () => {
    it('pages through runs newest first with a cursor, filtered by workflow and status', async () => {
      const workflow = `copy-${randomBytes(4).toString('hex')}`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await api().startRun(workflow)).id);
      await api().drive(ids[0]!);
      const first = await api().call('GET', `/api/runs?workflow=${workflow}&limit=2`);
      expect(first.status).toBe(200);
      const order = (await api().store.listRuns()).map((run) => run.id).filter((id) => ids.includes(id));
      expect(first.body.runs.map((run: { id: string }) => run.id)).toEqual(order.slice(0, 2));
      expect(first.body.runs[0]).toEqual({
        id: order[0],
        workflow,
        status: 'running',
        createdAt: expect.any(String) as unknown,
        updatedAt: expect.any(String) as unknown,
      });
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api().call(
        'GET',
        `/api/runs?workflow=${workflow}&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.runs.map((run: { id: string }) => run.id)).toEqual(order.slice(2));
      expect(second.body.nextCursor).toBeUndefined();
      const failed = await api().call('GET', `/api/runs?workflow=${workflow}&status=failed`);
      expect(failed.body.runs.map((run: { id: string }) => run.id)).toEqual([ids[0]]);
    });

    it('refuses a cursor it did not make, a limit out of 1..200, an unknown status or parameter with 422', async () => {
      const cursor = await api().call('GET', '/api/runs?cursor=not-a-cursor');
      await api().expectRefused(cursor, 422, 'INVALID_REQUEST');
      expect(cursor.body.error.problems).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
      for (const limit of ['0', '201', 'ten']) {
        const answer = await api().call('GET', `/api/runs?limit=${limit}`);
        await api().expectRefused(answer, 422, 'INVALID_REQUEST');
        expect(answer.body.error.problems).toEqual([expect.objectContaining({ path: 'query.limit' })]);
      }
      await api().expectRefused(await api().call('GET', '/api/runs?status=asleep'), 422, 'INVALID_REQUEST');
      await api().expectRefused(await api().call('GET', '/api/runs?sort=asc'), 422, 'INVALID_REQUEST');
    });
  });

  describe('renaming and deleting a run', () => {
    it.todo('renames a run: PATCH {title} answers the run with its title (needs the store’s set_title)');
    it.todo('deletes a run that has ended: 204, then 404 (needs the store’s deleteRun)');

    it('refuses to rename a missing run (404) or with an empty title (422), and to delete a missing run (404) or a running one (409)', async () => {
      await api().expectRefused(
        await api().call('PATCH', '/api/runs/nope', { title: 'x' }),
        404,
        'RUN_NOT_FOUND',
      );
      const { id } = await api().startRun('gated', { brief: 'x' });
      const before = await api().events(id);
      const empty = await api().call('PATCH', `/api/runs/${id}`, { title: '  ' });
      await api().expectRefused(empty, 422, 'INVALID_REQUEST', id, before);
      expect(empty.body.error.problems).toEqual([expect.objectContaining({ path: 'body.title' })]);
      await api().expectRefused(await api().call('DELETE', '/api/runs/nope'), 404, 'RUN_NOT_FOUND');
      const running = await api().call('DELETE', `/api/runs/${id}`);
      await api().expectRefused(running, 409, 'INVALID_TRANSITION', id, before);
      expect(running.body.error.message).toMatch(/is running/);
      expect((await api().call('GET', `/api/runs/${id}`)).status).toBe(200);
    });
  });
}
