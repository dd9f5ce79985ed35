import { describe, expect, it } from 'vitest';
import { OTHER_TENANT, type RunsApi } from '../runs-harness.js';

/**
 * A valid body for every route of one run (so that a refusal is about whose run it is, not about
 * the body), by `METHOD path` as the OpenAPI document names it; `undefined` sends none.
 */
const RUN_ROUTES: Readonly<Record<string, unknown>> = {
  'GET /api/runs/{id}': undefined,
  'PATCH /api/runs/{id}': { title: 'Taken over' },
  'DELETE /api/runs/{id}': undefined,
  'POST /api/runs/{id}/pause': { reason: 'mine now' },
  'POST /api/runs/{id}/resume': {},
  'POST /api/runs/{id}/cancel': {},
  'POST /api/runs/{id}/retry': {},
  'POST /api/runs/{id}/fork': {},
  'POST /api/runs/{id}/budget': { tokens: 1000 },
  'POST /api/runs/{id}/phases/{phase}/decision': { decision: 'approve' },
  'POST /api/runs/{id}/phases/{phase}/submit': { content: 'signed' },
  'POST /api/runs/{id}/phases/{phase}/retry': {},
  'POST /api/runs/{id}/phases/{phase}/skip': {},
  'POST /api/runs/{id}/phases/{phase}/rewind': {},
  'GET /api/runs/{id}/phases/{phase}/calls': undefined,
  'GET /api/runs/{id}/events': undefined,
  'GET /api/runs/{id}/phases/{phase}/versions/{version}': undefined,
  'GET /api/runs/{id}/usage': undefined,
  'GET /api/runs/{id}/phases/{phase}/artifacts': undefined,
  'GET /api/runs/{id}/phases/{phase}/artifacts/diff': undefined,
  'GET /api/runs/{id}/phases/{phase}/artifacts/{version}': undefined,
  'GET /api/runs/{id}/phases/{phase}/artifacts/{version}/files/{path}': undefined,
  'GET /api/runs/{id}/download': undefined,
};

/** A valid query of the routes that need one. */
const RUN_QUERIES: Readonly<Record<string, string>> = {
  'GET /api/runs/{id}/phases/{phase}/artifacts/diff': '?from=1&to=1',
};

/** Tenants kept apart over HTTP: another tenant's run, list and workflows read as missing. */
export function runTenancySuite(api: () => RunsApi): void {
  /** Every route of one run the server has, from its OpenAPI document. */
  async function runRoutesOfDocument(): Promise<string[]> {
    const doc = (await (await fetch(`${api().url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    return Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/runs/{id}'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  }

  describe('another tenant', () => {
    it('gets 404 RUN_NOT_FOUND from every route of a run that is not its own, and the run is unchanged', async () => {
      const routes = await runRoutesOfDocument();
      expect([...routes].sort()).toEqual(Object.keys(RUN_ROUTES).sort());
      const { id } = await api().startRun('gated', { brief: 'mine' }, { title: 'Mine' });
      expect((await api().drive(id)).status).toBe('waiting');
      const events = await api().events(id);
      const view = (await api().call('GET', `/api/runs/${id}`)).body;
      const runs = await api().store.listRuns();
      for (const route of routes) {
        const [method, template] = route.split(' ') as [string, string];
        const path = `${template
          .replace('{id}', id)
          .replace('{phase}', 'spec')
          .replace('{version}', '1')
          .replace('{path}', 'README.md')}${RUN_QUERIES[route] ?? ''}`;
        const answer = await api().call(method, path, RUN_ROUTES[route], { as: 'other' });
        expect(answer.status, `${route}: ${JSON.stringify(answer.body)}`).toBe(404);
        expect(answer.body.error, route).toEqual({
          code: 'RUN_NOT_FOUND',
          message: expect.any(String) as unknown,
        });
        expect(answer.body.error.message, route).not.toMatch(/Mine/);
      }
      expect(await api().events(id)).toEqual(events);
      expect((await api().call('GET', `/api/runs/${id}`)).body).toEqual(view);
      expect(await api().store.listRuns()).toEqual(runs);
      // The owner's own requests on the same routes work: the refusals were about whose run it is.
      expect((await api().call('GET', `/api/runs/${id}/phases/spec/versions/1`)).status).toBe(200);
      expect((await api().call('POST', `/api/runs/${id}/pause`, {})).body.status).toBe('paused');
    });

    it('lists only its own runs, and each tenant runs its own workflow of the same id', async () => {
      const shared = (phase: string) => `id: shared\nphases:\n  - { id: ${phase}, kind: human }\n`;
      await api().uploadWorkflow(shared('local_step'));
      await api().uploadWorkflow(shared('other_step'), 'other');
      const mine = await api().startRun('shared');
      const theirs = await api().startRun('shared', undefined, { as: 'other', title: 'Theirs' });
      expect(mine.phases.map((phase) => phase.id)).toEqual(['local_step']);
      expect(theirs.phases.map((phase) => phase.id)).toEqual(['other_step']);
      expect(theirs.createdBy).toBe('someone');

      const otherRuns = (await api().call('GET', '/api/runs?limit=200', undefined, { as: 'other' })).body
        .runs;
      const otherIds = otherRuns.map((run) => run.id);
      expect(otherIds).toContain(theirs.id);
      expect(otherIds).toEqual((await api().store.forTenant(OTHER_TENANT).listRuns()).map((run) => run.id));
      const localIds = new Set((await api().store.forTenant('local').listRuns()).map((run) => run.id));
      expect(localIds.has(mine.id)).toBe(true);
      for (const query of ['', 'workflow=gated', 'workflow=shared', 'status=waiting', 'status=running']) {
        const page = await api().call('GET', `/api/runs?${query}&limit=200`, undefined, { as: 'other' });
        expect(
          page.body.runs.filter((run) => localIds.has(run.id)),
          query,
        ).toEqual([]);
      }
      const localList = await api().call('GET', '/api/runs?workflow=shared&limit=200');
      expect(localList.body.runs.map((run) => run.id)).toEqual([mine.id]);
      await api().expectRefused(await api().call('GET', `/api/runs/${theirs.id}`), 404, 'RUN_NOT_FOUND');
      const theirsRead = await api().call('GET', `/api/runs/${theirs.id}`, undefined, { as: 'other' });
      expect(theirsRead.body).toMatchObject({ id: theirs.id, title: 'Theirs' });
    });

    it('cannot start a workflow another tenant uploaded: 404 WORKFLOW_NOT_FOUND, nothing created', async () => {
      const runs = await api().store.listRuns();
      for (const body of [
        { workflow: 'gated', inputs: { brief: 'x' } },
        { workflow: 'gated', version: 1, inputs: { brief: 'x' } },
        { workflow: 'flaky' },
      ]) {
        const answer = await api().call('POST', '/api/runs', body, { as: 'other' });
        await api().expectRefused(answer, 404, 'WORKFLOW_NOT_FOUND');
      }
      expect(await api().store.listRuns()).toEqual(runs);
    });
  });
}
