import { describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';

/**
 * `lastActivityAt` of a running phase: its attempt's latest heartbeat or live progress, whichever
 * is later. The test holds the attempt itself (it claims the task, as a worker would) and picks
 * every time it reports, so it reads exact values.
 */
export function runActivitySuite(api: () => RunsApi): void {
  const spec = async (id: string) => {
    const answer = await api().call('GET', `/api/runs/${id}`);
    expect(answer.status).toBe(200);
    return answer.body.phases.find((phase) => phase.id === 'spec')!;
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  describe('lastActivityAt', () => {
    it('is the attempt’s start when claimed, then its latest heartbeat or progress, whichever is later', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      expect(await spec(id)).not.toHaveProperty('lastActivityAt');
      const claimedAt = Date.now();
      const [task] = await api().store.claim({ runId: id, limit: 1, now: claimedAt, leaseMs: 60_000 });
      expect(task).toMatchObject({ phaseId: 'spec', attempt: 1 });
      const started = (await api().events(id)).findLast((event) => event.type === 'phase_started')!;
      expect((await spec(id)).status).toBe('running');
      expect((await spec(id)).lastActivityAt).toBe(iso(started.at));

      const lease = { task: { runId: id, phaseId: 'spec', attempt: 1 }, token: task!.lease.token };
      await api().store.heartbeat([lease], claimedAt + 5_000, 60_000);
      expect((await spec(id)).lastActivityAt).toBe(iso(claimedAt + 5_000));

      // Progress published through this process's store reaches the tracker at once.
      const progress = { type: 'phase_progress' as const, runId: id, phaseId: 'spec', attempt: 1 };
      const local = api().store.forTenant('local');
      await local.publishProgress({ ...progress, at: claimedAt + 9_000, text: 'typing' });
      expect((await spec(id)).lastActivityAt).toBe(iso(claimedAt + 9_000));

      // A later heartbeat wins over older progress; older progress never moves it back.
      await api().store.heartbeat([lease], claimedAt + 12_000, 60_000);
      expect((await spec(id)).lastActivityAt).toBe(iso(claimedAt + 12_000));
      await local.publishProgress({ ...progress, at: claimedAt + 10_000 });
      expect((await spec(id)).lastActivityAt).toBe(iso(claimedAt + 12_000));
      await local.publishProgress({ ...progress, at: claimedAt + 15_000 });
      expect((await spec(id)).lastActivityAt).toBe(iso(claimedAt + 15_000));

      // Late progress of an earlier attempt is not this attempt's activity, and forgets none of it.
      await local.publishProgress({ ...progress, attempt: 0, at: claimedAt + 30_000 });
      expect((await spec(id)).lastActivityAt).toBe(iso(claimedAt + 15_000));

      const ended = await api().store.apply(
        id,
        { type: 'abandon', phaseId: 'spec', attempt: 1, cause: 'interrupted' },
        claimedAt + 21_000,
        { leaseToken: task!.lease.token },
      );
      expect(ended.ok).toBe(true);
      expect(await spec(id)).not.toHaveProperty('lastActivityAt');
    });

    it('is absent on a phase that is not running', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      expect((await api().drive(id)).status).toBe('waiting');
      const run = (await api().call('GET', `/api/runs/${id}`)).body;
      expect(run.phases.map((phase) => phase.status)).toEqual(['waiting_for_human', 'blocked', 'blocked']);
      expect(run.phases.filter((phase) => phase.lastActivityAt !== undefined)).toEqual([]);
    });
  });
}
