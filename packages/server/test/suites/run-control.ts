import { describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';

/** Pausing, resuming and cancelling a run; forking it. */
export function runControlSuite(api: () => RunsApi): void {
  async function atGate(): Promise<string> {
    const { id } = await api().startRun('gated', { brief: 'CSV export' });
    expect((await api().drive(id)).status).toBe('waiting');
    return id;
  }

  const control = (id: string, verb: string, body: unknown = {}) =>
    api().call('POST', `/api/runs/${id}/${verb}`, body);

  describe('pausing, resuming and cancelling', () => {
    it('pauses, resumes and cancels a run, each answering the run as it is now', async () => {
      const id = await atGate();
      const paused = await control(id, 'pause', { reason: 'lunch' });
      expect(paused.status).toBe(200);
      expect(paused.body.status).toBe('paused');
      expect((await api().events(id)).at(-1)).toMatchObject({
        type: 'run_paused',
        by: 'tester',
        reason: 'lunch',
      });
      expect((await control(id, 'resume')).body.status).toBe('waiting');
      const cancelled = await control(id, 'cancel', { reason: 'not needed' });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: 'not needed' });
    });

    it('accepts a request with no body at all', async () => {
      const id = await atGate();
      expect((await api().call('POST', `/api/runs/${id}/pause`)).body.status).toBe('paused');
    });

    it('refuses what the run cannot do now with 409, an unknown run with 404, a bad body with 422, changing nothing', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const resume = await control(id, 'resume');
      await api().expectRefused(resume, 409, 'INVALID_TRANSITION', id, before);
      expect(resume.body.error.message).toMatch(/not paused/);
      await api().expectRefused(
        await control(id, 'pause', { reason: 3 }),
        422,
        'INVALID_REQUEST',
        id,
        before,
      );
      await api().expectRefused(
        await control(id, 'cancel', { force: true }),
        422,
        'INVALID_REQUEST',
        id,
        before,
      );
      await api().expectRefused(await control('nope', 'pause'), 404, 'RUN_NOT_FOUND');
      await control(id, 'cancel');
      const cancelled = await api().events(id);
      await api().expectRefused(await control(id, 'cancel'), 409, 'INVALID_TRANSITION', id, cancelled);
      await api().expectRefused(await control(id, 'pause'), 409, 'INVALID_TRANSITION', id, cancelled);
    });
  });

  describe('forking', () => {
    async function completed(): Promise<string> {
      const id = await atGate();
      await api().call('POST', `/api/runs/${id}/phases/spec/decision`, { decision: 'approve' });
      await api().call('POST', `/api/runs/${id}/phases/signoff/submit`, { content: 'signed' });
      expect((await api().drive(id)).status).toBe('completed');
      return id;
    }

    it('forks a run: 201 with the new run, which takes over every phase it can', async () => {
      const source = await completed();
      const before = await api().events(source);
      const answer = await control(source, 'fork');
      expect(answer.status).toBe(201);
      expect(answer.body.id).toMatch(/^gated-[a-z0-9]{6}$/);
      expect(answer.body).toMatchObject({
        forkedFrom: { runId: source },
        status: 'completed',
        createdBy: 'tester',
      });
      expect(answer.body.phases.map((p: { copiedFrom?: { runId: string } }) => p.copiedFrom?.runId)).toEqual([
        source,
        source,
        source,
      ]);
      expect(await api().events(source)).toEqual(before);
    });

    it('forks from a phase with changed inputs: that phase and what follows run again', async () => {
      const source = await completed();
      const answer = await control(source, 'fork', { from: 'spec', inputs: { brief: 'JSON export' } });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        forkedFrom: { runId: source, from: 'spec' },
        inputs: { brief: 'JSON export' },
      });
      expect((await api().drive(answer.body.id)).phases.spec?.status).toBe('waiting_for_human');
    });

    it('refuses an unknown phase (404), inputs off the schema (422), an unknown run (404), creating nothing', async () => {
      const source = await completed();
      const runs = await api().store.listRuns();
      await api().expectRefused(await control(source, 'fork', { from: 'nope' }), 404, 'PHASE_NOT_FOUND');
      const wrong = await control(source, 'fork', { inputs: { count: 'many' } });
      await api().expectRefused(wrong, 422, 'INVALID_INPUT');
      expect(wrong.body.error.problems).toEqual([expect.objectContaining({ path: 'inputs.count' })]);
      await api().expectRefused(await control(source, 'fork', { to: 'x' }), 422, 'INVALID_REQUEST');
      await api().expectRefused(await control('nope', 'fork'), 404, 'RUN_NOT_FOUND');
      expect(await api().store.listRuns()).toEqual(runs);
    });
  });

  describe('the OpenAPI document', () => {
    it('describes the runs routes and their schemas', async () => {
      const doc = await fetch(`${api().url}/api/openapi.json`).then(
        (r) => r.json() as Promise<{ paths: object; components: { schemas: object } }>,
      );
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/runs',
          '/api/runs/{id}',
          '/api/runs/{id}/fork',
          '/api/runs/{id}/phases/{phase}/decision',
          '/api/runs/{id}/phases/{phase}/calls',
        ]),
      );
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['Run', 'RunPage', 'Decision']),
      );
    });
  });
}
