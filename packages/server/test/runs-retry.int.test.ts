/**
 * A run's stage and a failed run's retry from its last checkpoint, over real HTTP on a server
 * composed as `baton serve` composes it, on PGlite and on PostgreSQL: the stage in a run's view and
 * in the run list as the run moves, `POST /api/runs/:id/retry` rerunning only what follows the last
 * gate passed, and its refusals.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';

/**
 * `staged`: `spec` (behind a gate) → `implement` → `verdict`, which fails its first attempt (no
 * automatic retry) and passes from its second on; stages name where the run stands.
 */
const STAGED = `
id: staged
stages:
  - { stage: spec_generating, phases: { spec: [ready, running] } }
  - { stage: spec_ready, phases: { spec: waiting_for_human } }
  - { stage: implementing, phases: { implement: [ready, running] } }
  - { stage: review, phases: { verdict: [ready, running] } }
  - { stage: done, run: completed }
  - { stage: failed, run: [failed, cancelled] }
phases:
  - { id: spec, kind: tool, gate: true, run: echo spec }
  - { id: implement, kind: tool, needs: [spec], run: echo code }
  - id: verdict
    kind: tool
    needs: [implement]
    retry: { maxAttempts: 1 }
    run: |
      if [ "$BATON_ATTEMPT" -lt 2 ]; then echo "the security review failed" >&2; exit 1; fi
      echo PASS
`;

describeOnBackends('a run’s stage and its retry from the last checkpoint', (backend) => {
  let api: RunsApi | undefined;
  beforeAll(async () => {
    api = await RunsApi.start(backend);
    await api.uploadWorkflow(STAGED);
  });
  afterAll(async () => {
    await api?.close();
  });
  const current = (): RunsApi => {
    if (api === undefined) throw new Error('the server did not start');
    return api;
  };
  const listed = async (id: string) =>
    (await current().call('GET', '/api/runs?workflow=staged')).body.runs.find((run) => run.id === id);
  const attempts = (phases: readonly { id: string; attempts: number }[]) =>
    Object.fromEntries(phases.map((phase) => [phase.id, phase.attempts]));

  it('shows the stage in the run and the list, reruns what follows the last gate at attempt 2 and keeps the rest', async () => {
    const started = await current().startRun('staged');
    const id = started.id;
    expect(started.stage).toBe('spec_generating');
    expect((await current().drive(id)).status).toBe('waiting');
    expect((await current().call('GET', `/api/runs/${id}`)).body.stage).toBe('spec_ready');
    expect(await listed(id)).toMatchObject({ id, status: 'waiting', stage: 'spec_ready' });

    await current().call('POST', `/api/runs/${id}/phases/spec/decision`, { decision: 'approve' });
    expect((await current().drive(id)).status).toBe('failed');
    const failed = (await current().call('GET', `/api/runs/${id}`)).body;
    expect(failed).toMatchObject({ status: 'failed', stage: 'failed' });
    expect(attempts(failed.phases)).toEqual({ spec: 1, implement: 1, verdict: 1 });
    expect(await listed(id)).toMatchObject({ status: 'failed', stage: 'failed' });

    const retried = await current().call('POST', `/api/runs/${id}/retry`, { reason: 'flaky review' });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ status: 'running', stage: 'implementing' });
    expect((await current().events(id)).filter((e) => e.type === 'run_rewound')).toMatchObject([
      { phaseId: 'implement', by: 'tester', reason: 'retry from the last checkpoint: flaky review' },
    ]);

    expect((await current().drive(id)).status).toBe('completed');
    const done = (await current().call('GET', `/api/runs/${id}`)).body;
    expect(done).toMatchObject({ status: 'completed', stage: 'done' });
    expect(attempts(done.phases)).toEqual({ spec: 1, implement: 2, verdict: 2 });
    expect(done.phases.find((phase) => phase.id === 'spec')?.versions).toEqual([{ version: 1, attempt: 1 }]);
    expect(await listed(id)).toMatchObject({ status: 'completed', stage: 'done' });
  });

  it('refuses a run that did not fail with 409 saying what to do, and an unknown run with 404, changing nothing', async () => {
    const { id } = await current().startRun('staged');
    expect((await current().drive(id)).status).toBe('waiting');
    const before = await current().events(id);
    const refused = await current().call('POST', `/api/runs/${id}/retry`, {});
    await current().expectRefused(refused, 409, 'INVALID_TRANSITION', id, before);
    expect(refused.body.error.message).toBe(
      `run ${id} is waiting, not failed: retry a failed phase with \`baton retry ${id} PHASE\`, or wait for the run to end`,
    );
    await current().expectRefused(
      await current().call('POST', `/api/runs/${id}/retry`, { phase: 'spec' }),
      422,
      'INVALID_REQUEST',
      id,
      before,
    );
    await current().expectRefused(
      await current().call('POST', '/api/runs/nope/retry', {}),
      404,
      'RUN_NOT_FOUND',
    );
  });

  it('keeps retrying one phase by its own route, and a run without stages shows stage null', async () => {
    const { id } = await current().startRun('flaky');
    expect((await current().drive(id)).status).toBe('failed');
    expect((await current().call('GET', `/api/runs/${id}`)).body.stage).toBeNull();
    expect((await current().call('GET', '/api/runs?workflow=flaky')).body.runs[0]).toMatchObject({
      stage: null,
    });
    const retried = await current().call('POST', `/api/runs/${id}/phases/build/retry`, {});
    expect(retried.status).toBe(200);
    expect(attempts(retried.body.phases)).toEqual({ build: 2, ship: 0 });
  });
});
