import { expect, describe, it } from 'vitest';
import type { Answer, RunsApi } from '../runs-harness.js';

interface Listed {
  readonly id: string;
  readonly status: string;
  readonly title?: string;
}

/** Listing runs: newest first, filtered by status and workflow, a keyset page at a time. */
export function runListingSuite(api: () => RunsApi): void {
  const list = (query: string): Promise<Answer> => api().call('GET', `/api/runs?${query}`);

  /** Every page of `query` with `limit`, following `nextCursor` until there is none. */
  async function allPages(query: string, limit: number): Promise<Listed[][]> {
    const pages: Listed[][] = [];
    let cursor: string | undefined;
    do {
      const answer = await list(`${query}&limit=${limit}${cursor === undefined ? '' : `&cursor=${cursor}`}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      pages.push(answer.body.runs);
      cursor = answer.body.nextCursor;
      if (pages.length > 50) throw new Error('the pages never end');
    } while (cursor !== undefined);
    return pages;
  }

  const ids = (runs: readonly Listed[]): string[] => runs.map((run) => run.id);

  describe('listing runs', () => {
    it('pages through runs newest first with a cursor, filtered by workflow and status', async () => {
      const workflow = await api().uniqueWorkflow();
      const started: string[] = [];
      for (let i = 0; i < 3; i++) started.push((await api().startRun(workflow)).id);
      await api().drive(started[0]!);
      const first = await list(`workflow=${workflow}&limit=2`);
      expect(first.status).toBe(200);
      const order = ids(await api().store.listRuns({ workflowId: workflow }));
      expect([...order].sort()).toEqual([...started].sort());
      expect(ids(first.body.runs)).toEqual(order.slice(0, 2));
      expect(first.body.runs[0]).toEqual({
        id: order[0],
        workflow,
        status: 'running',
        stage: null,
        createdAt: expect.any(String) as unknown,
        updatedAt: expect.any(String) as unknown,
      });
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await list(`workflow=${workflow}&limit=2&cursor=${first.body.nextCursor}`);
      expect(ids(second.body.runs)).toEqual(order.slice(2));
      expect(second.body.nextCursor).toBeUndefined();
      const failed = await list(`workflow=${workflow}&status=failed`);
      expect(ids(failed.body.runs)).toEqual([started[0]]);
    });

    it('walks every page once: no run twice, none missing, in the store’s order, also when runs are created meanwhile', async () => {
      const workflow = await api().uniqueWorkflow();
      for (let i = 0; i < 7; i++) await api().startRun(workflow);
      const order = ids(await api().store.listRuns({ workflowId: workflow }));
      expect(order).toHaveLength(7);
      for (const limit of [1, 2, 3, 7, 8]) {
        const pages = await allPages(`workflow=${workflow}`, limit);
        expect(
          pages.flat().map((run) => run.id),
          `limit ${limit}`,
        ).toEqual(order);
        expect(pages, `limit ${limit}`).toHaveLength(Math.max(1, Math.ceil(7 / limit)));
      }
      // A run created between two pages is newer than every run listed: it never shifts a page.
      const first = await list(`workflow=${workflow}&limit=3`);
      const newer = await api().startRun(workflow);
      const rest: Listed[] = [];
      let cursor = first.body.nextCursor;
      while (cursor !== undefined) {
        const page = await list(`workflow=${workflow}&limit=3&cursor=${cursor}`);
        rest.push(...page.body.runs);
        cursor = page.body.nextCursor;
      }
      expect([...ids(first.body.runs), ...ids(rest)]).toEqual(order);
      expect(ids((await list(`workflow=${workflow}&limit=1`)).body.runs)).toEqual([newer.id]);
    });

    it('filters by status and by workflow, each alone and together, and shows titles', async () => {
      const workflow = await api().uniqueWorkflow();
      const failed = await api().startRun(workflow, undefined, { title: 'Broke' });
      await api().drive(failed.id);
      const cancelled = await api().startRun(workflow, undefined, { title: 'Not needed' });
      await api().call('POST', `/api/runs/${cancelled.id}/cancel`, {});
      const running = await api().startRun(workflow);
      const gated = await api().startRun('gated', { brief: 'x' }, { title: 'At the gate' });
      await api().drive(gated.id);

      const expected: Record<string, Listed> = {
        [running.id]: { id: running.id, status: 'running' },
        [cancelled.id]: { id: cancelled.id, status: 'cancelled', title: 'Not needed' },
        [failed.id]: { id: failed.id, status: 'failed', title: 'Broke' },
      };
      const order = ids(await api().store.listRuns({ workflowId: workflow }));
      const all = (await list(`workflow=${workflow}`)).body.runs;
      expect(
        all.map(({ id, status, title }) => ({ id, status, ...(title === undefined ? {} : { title }) })),
      ).toEqual(order.map((id) => expected[id]));
      expect(ids((await list(`workflow=${workflow}&status=cancelled`)).body.runs)).toEqual([cancelled.id]);
      expect(ids((await list(`workflow=${workflow}&status=waiting`)).body.runs)).toEqual([]);
      const waiting = (await list('status=waiting&limit=200')).body.runs;
      expect(waiting.every((run) => run.status === 'waiting')).toBe(true);
      expect(waiting.find((run) => run.id === gated.id)).toMatchObject({ title: 'At the gate' });
      const failedEverywhere = (await list('status=failed&limit=200')).body.runs;
      expect(failedEverywhere.every((run) => run.status === 'failed')).toBe(true);
      expect(ids(failedEverywhere)).toContain(failed.id);
      expect(ids((await list('workflow=no-such-workflow')).body.runs)).toEqual([]);
    });

    it('refuses a cursor it did not make, a limit out of 1..200, an unknown status or parameter with 422', async () => {
      const cursor = await list('cursor=not-a-cursor');
      await api().expectRefused(cursor, 422, 'INVALID_REQUEST');
      expect(cursor.body.error.problems).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
      for (const limit of ['0', '201', 'ten']) {
        const answer = await list(`limit=${limit}`);
        await api().expectRefused(answer, 422, 'INVALID_REQUEST');
        expect(answer.body.error.problems).toEqual([expect.objectContaining({ path: 'query.limit' })]);
      }
      await api().expectRefused(await list('status=asleep'), 422, 'INVALID_REQUEST');
      await api().expectRefused(await list('sort=asc'), 422, 'INVALID_REQUEST');
    });
  });
}
