import { buildSnapshot } from '@baton/runtime';
import { describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';

/** Titles a run may not have: empty, too long (201 characters), a line break, a tab, a control character. */
const INVALID_TITLES = ['   ', 'x'.repeat(201), 'two\nlines', 'a\ttab', 'bell\u0007'];

/** Creating, reading, renaming and deleting runs. */
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

    it('creates a run with a title: the run, its log and the list show it', async () => {
      const run = await api().startRun('gated', { brief: 'x' }, { title: '  Release notes for 2.0 ' });
      expect(run.title).toBe('Release notes for 2.0');
      expect((await api().call('GET', `/api/runs/${run.id}`)).body.title).toBe('Release notes for 2.0');
      const events = await api().events(run.id);
      expect(events.slice(0, 2)).toMatchObject([
        { type: 'run_created', by: 'tester' },
        { type: 'run_titled', title: 'Release notes for 2.0', by: 'tester', source: 'person' },
      ]);
      const page = await api().call('GET', '/api/runs?workflow=gated&limit=200');
      expect(page.body.runs.find((each) => each.id === run.id)).toMatchObject({
        title: 'Release notes for 2.0',
      });
    });

    it('refuses a title that is empty, too long or not one line with 422 naming body.title, creating nothing', async () => {
      const before = await api().store.listRuns();
      for (const title of INVALID_TITLES) {
        const answer = await api().call('POST', '/api/runs', {
          workflow: 'gated',
          inputs: { brief: 'x' },
          title,
        });
        await api().expectRefused(answer, 422, 'INVALID_REQUEST');
        expect(answer.body.error.problems, JSON.stringify(title)).toEqual([
          expect.objectContaining({ path: 'body.title' }),
        ]);
      }
      expect(await api().store.listRuns()).toEqual(before);
    });
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
        await api().call('GET', `/api/runs/${id}`, undefined, { as: 'other' }),
        404,
        'RUN_NOT_FOUND',
      );
      expect((await api().call('GET', `/api/runs/${id}`, undefined, { as: 'none' })).status).toBe(401);
    });
  });

  describe('renaming a run', () => {
    it('renames a run: PATCH {title} answers the run with its title, recorded as the person’s', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' }, { title: 'First name' });
      const answer = await api().call('PATCH', `/api/runs/${id}`, { title: ' Second name ' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id, title: 'Second name', status: 'running' });
      const events = await api().events(id);
      expect(events.at(-1)).toMatchObject({ type: 'run_titled', title: 'Second name', by: 'tester' });
      expect(answer.body.lastEventId).toBe(String(events.at(-1)!.seq));
      expect((await api().call('GET', `/api/runs/${id}`)).body.title).toBe('Second name');
    });

    it('renames a run that has ended', async () => {
      const { id } = await api().startRun('flaky');
      expect((await api().drive(id)).status).toBe('failed');
      const answer = await api().call('PATCH', `/api/runs/${id}`, { title: 'Post-mortem' });
      expect(answer.body).toMatchObject({ status: 'failed', title: 'Post-mortem' });
    });

    it('takes a title of 200 characters however they are encoded (emoji count as one)', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      const title = '🚀'.repeat(200);
      const answer = await api().call('PATCH', `/api/runs/${id}`, { title });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.title).toBe(title);
    });

    it('refuses an empty, too long or multi-line title with 422 naming body.title, and a missing run with 404, writing nothing', async () => {
      await api().expectRefused(
        await api().call('PATCH', '/api/runs/nope', { title: 'x' }),
        404,
        'RUN_NOT_FOUND',
      );
      const { id } = await api().startRun('gated', { brief: 'x' }, { title: 'Kept' });
      const before = await api().events(id);
      for (const title of INVALID_TITLES) {
        const answer = await api().call('PATCH', `/api/runs/${id}`, { title });
        await api().expectRefused(answer, 422, 'INVALID_REQUEST', id, before);
        expect(answer.body.error.problems, JSON.stringify(title)).toEqual([
          expect.objectContaining({ path: 'body.title' }),
        ]);
      }
      const noTitle = await api().call('PATCH', `/api/runs/${id}`, {});
      await api().expectRefused(noTitle, 422, 'INVALID_REQUEST', id, before);
      await api().expectRefused(
        await api().call('PATCH', `/api/runs/${id}`, { title: 'x', status: 'done' }),
        422,
        'INVALID_REQUEST',
        id,
        before,
      );
      expect((await api().call('GET', `/api/runs/${id}`)).body.title).toBe('Kept');
    });
  });

  describe('deleting a run', () => {
    it('deletes a run that has ended: 204, then it is gone — 404, out of the list, its log empty', async () => {
      const { id } = await api().startRun('flaky');
      expect((await api().drive(id)).status).toBe('failed');
      const answer = await api().call('DELETE', `/api/runs/${id}`);
      expect(answer.status).toBe(204);
      expect(answer.body).toBeUndefined();
      await api().expectRefused(await api().call('GET', `/api/runs/${id}`), 404, 'RUN_NOT_FOUND');
      await api().expectRefused(await api().call('GET', `/api/runs/${id}/events`), 404, 'RUN_NOT_FOUND');
      const page = await api().call('GET', '/api/runs?workflow=flaky&limit=200');
      expect(page.body.runs.map((run) => run.id)).not.toContain(id);
      expect(await api().events(id)).toEqual([]);
      await api().expectRefused(await api().call('DELETE', `/api/runs/${id}`), 404, 'RUN_NOT_FOUND');
    });

    it('refuses to delete a running run with 409 saying to cancel it first; cancelled, it deletes', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      const before = await api().events(id);
      const running = await api().call('DELETE', `/api/runs/${id}`);
      await api().expectRefused(running, 409, 'INVALID_TRANSITION', id, before);
      expect(running.body.error.message).toMatch(/is running.*cancel the run first/);
      expect((await api().call('GET', `/api/runs/${id}`)).status).toBe(200);
      expect((await api().call('POST', `/api/runs/${id}/cancel`, {})).body.status).toBe('cancelled');
      expect((await api().call('DELETE', `/api/runs/${id}`)).status).toBe(204);
    });

    it('refuses to delete a paused run while an attempt of it still runs (409, saying to cancel it first)', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      // A worker holds the attempt (the test claims it as one would); pausing lets it finish.
      const [task] = await api().store.claim({ runId: id, limit: 1, now: Date.now() });
      expect(task).toMatchObject({ runId: id, phaseId: 'spec', attempt: 1 });
      expect((await api().call('POST', `/api/runs/${id}/pause`, {})).body.status).toBe('paused');
      const before = await api().events(id);
      const busy = await api().call('DELETE', `/api/runs/${id}`);
      await api().expectRefused(busy, 409, 'INVALID_TRANSITION', id, before);
      expect(busy.body.error.message).toMatch(
        /is paused, but an attempt still runs.*"spec" \(attempt 1\).*cancel the run first/,
      );
      // The cancel stops the attempt (its task is finished at once): the run may go.
      expect((await api().call('POST', `/api/runs/${id}/cancel`, {})).body.status).toBe('cancelled');
      expect(await api().store.runningTasks({ runId: id })).toEqual([]);
      expect((await api().call('DELETE', `/api/runs/${id}`)).status).toBe(204);
    });

    it('refuses to delete a missing run with 404', async () => {
      const answer = await api().call('DELETE', '/api/runs/nope');
      await api().expectRefused(answer, 404, 'RUN_NOT_FOUND');
      expect(answer.body.error.message).toMatch(/no run "nope"/);
    });
  });
}
