/**
 * The tenancy part of the `RunStore` contract: a store's view scoped to one tenant sees nothing
 * of another tenant's runs — on every read and every write — and the system scope sees them all.
 * Called by `runStoreContract` inside its `describe` block, with its store.
 *
 * Each case adds tenants of its own (ids unique to the suite run), so it never sees the runs of
 * other cases or other suites sharing the database, and may claim and recover without a run id.
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { isBatonError } from '../errors.js';
import { NO_USAGE, type ModelCallRecord } from '../ports/model-calls.js';
import {
  LOCAL_TENANT,
  type ClaimedTask,
  type RunStore,
  type ScopedRunStore,
  type TaskKey,
} from '../ports/run-store.js';
import { expectOk, T0, taskKey } from './contract-helpers.js';
import { testPayload as payload, testPhase as phase, testWorkflow as workflow } from './workflow-fixtures.js';

/** What the tenancy tests need of the surrounding suite. */
export interface TenancyContractContext {
  /** The store of the current test (the system scope). */
  readonly store: () => ScopedRunStore;
  /** A run id (or tenant id) unique to the suite run, ending in `label`. */
  readonly newId: (label: string) => string;
}

const wf = workflow('tenancy', phase('x'), phase('y', { needs: ['x'] }));

function keyOf(task: ClaimedTask): TaskKey {
  return { runId: task.runId, phaseId: task.phaseId, attempt: task.attempt };
}

function file(text: string) {
  return {
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    size: Buffer.byteLength(text),
    text,
  };
}

async function createIn(store: RunStore, runId: string, now = T0) {
  return expectOk(
    await store.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, now),
  );
}

export function runStoreTenancyContract(ctx: TenancyContractContext): void {
  /** Two new tenants with a run each, and their views. */
  async function twoTenants() {
    const store = ctx.store();
    const [ta, tb] = [ctx.newId('acme'), ctx.newId('bolt')];
    await store.ensureTenant({ id: ta, name: 'Acme' }, T0);
    await store.ensureTenant({ id: tb, name: 'Bolt' }, T0);
    // Adding a tenant again changes nothing.
    await store.ensureTenant({ id: ta, name: 'Acme, renamed' }, T0);
    const a = store.forTenant(ta);
    const b = store.forTenant(tb);
    const runA = ctx.newId('run-a');
    const runB = ctx.newId('run-b');
    await createIn(a, runA);
    await createIn(b, runB);
    return { store, a, b, ta, tb, runA, runB };
  }

  it("keeps every read of a tenant's view away from another tenant's runs; the system scope sees both", async () => {
    const { store, a, b, ta, tb, runA, runB } = await twoTenants();
    // The system scope has read (and cached) B's run: A's view must still not see it.
    expect(await store.getRun(runB)).toMatchObject({ runId: runB });

    expect(await a.getRun(runB)).toBeUndefined();
    expect(await b.getRun(runB)).toMatchObject({ runId: runB, status: 'running' });
    expect(await a.listEvents(runB)).toEqual([]);
    expect((await b.listEvents(runB)).length).toBeGreaterThan(0);
    expect(await a.listRuns()).toMatchObject([{ id: runA, tenantId: ta }]);
    expect(await b.listRuns()).toMatchObject([{ id: runB, tenantId: tb }]);
    const all = (await store.listRuns()).filter((run) => run.id === runA || run.id === runB);
    expect(all.map((run) => [run.id, run.tenantId]).sort()).toEqual([
      [runA, ta],
      [runB, tb],
    ]);
    expect(await a.nextDue({ runId: runB })).toBeUndefined();
    expect(await a.nextWakeup({ runId: runB })).toBeUndefined();
    expect(await b.nextDue()).toBe(T0);
    expect(await store.nextDue({ runId: runB })).toBe(T0);

    // A tenant's claims take its own tasks only, and say whose they are.
    expect(await a.claim({ runId: runB, limit: 10, now: T0 + 1 })).toEqual([]);
    const [x] = await a.claim({ limit: 10, now: T0 + 1, leaseMs: 1_000 });
    expect(x).toMatchObject({ runId: runA, tenantId: ta, phaseId: 'x' });
    expect(await a.claim({ limit: 10, now: T0 + 1 })).toEqual([]);
    const [bx] = await store.claim({ runId: runB, limit: 10, now: T0 + 1, leaseMs: 1_000 });
    expect(bx).toMatchObject({ runId: runB, tenantId: tb, phaseId: 'x' });
    expect((await a.runningTasks()).map(taskKey)).toEqual([taskKey(x!)]);
    expect(await a.runningTasks({ runId: runB })).toEqual([]);
    expect(await b.runningTasks()).toMatchObject([{ runId: runB, tenantId: tb }]);
    expect(await a.nextWakeup()).toBe(T0 + 1_001);

    // Artifacts and file contents: B's are unknown in A, until A stores the same file itself.
    const shared = file('export const shared = true;\n');
    expectOk(
      await b.apply(
        runB,
        { type: 'succeed', phaseId: 'x', attempt: 1, output: { ...payload('{}'), files: [shared] } },
        T0 + 2,
        { leaseToken: bx!.lease.token },
      ),
    );
    expect(await b.getArtifact(runB, 'x', 1)).toMatchObject({ runId: runB, content: '{}' });
    expect(await a.getArtifact(runB, 'x', 1)).toBeUndefined();
    const refs = [{ phaseId: 'x', version: 1 }];
    expect(await b.getArtifacts(runB, refs)).toMatchObject([{ runId: runB, content: '{}' }]);
    expect(await store.getArtifacts(runB, refs)).toMatchObject([{ runId: runB, content: '{}' }]);
    expect(await a.getArtifacts(runB, refs)).toEqual([undefined]);
    expect(await b.getBlob(shared.sha256)).toBe(shared.text);
    expect(await store.getBlob(shared.sha256)).toBe(shared.text);
    expect(await a.getBlob(shared.sha256)).toBeUndefined();
    expectOk(
      await a.apply(
        runA,
        { type: 'succeed', phaseId: 'x', attempt: 1, output: { ...payload('{ }'), files: [shared] } },
        T0 + 3,
        { leaseToken: x!.lease.token },
      ),
    );
    expect(await a.getBlob(shared.sha256)).toBe(shared.text);

    // Live progress: a tenant's view publishes as its tenant and hears only its tenant's.
    const heard = { a: [] as string[], b: [] as string[], all: [] as string[] };
    const stops = await Promise.all([
      a.subscribeProgress((event) => heard.a.push(event.text ?? '')),
      b.subscribeProgress((event) => heard.b.push(event.text ?? '')),
      store.subscribeProgress((event) => heard.all.push(`${event.tenantId ?? '-'}:${event.text ?? ''}`)),
    ]);
    const progress = (runId: string, text: string) =>
      ({ type: 'phase_progress', runId, phaseId: 'x', attempt: 1, at: T0 + 4, text }) as const;
    await b.publishProgress(progress(runB, 'b typing'));
    await store.publishProgress({ ...progress(runA, 'a typing'), tenantId: ta });
    await store.publishProgress(progress(runA, 'nobody’s'));
    expect(heard).toEqual({
      a: ['a typing'],
      b: ['b typing'],
      all: [`${tb}:b typing`, `${ta}:a typing`, '-:nobody’s'],
    });
    for (const stop of stops) await stop();

    // A view is not a store of its own: closing it leaves the store open.
    await a.close();
    expect(await a.getRun(runA)).toMatchObject({ runId: runA });
    expect(await store.allTenants().getRun(runA)).toMatchObject({ runId: runA });
  });

  it("refuses every write of a tenant's view to another tenant's run as if it did not exist", async () => {
    const { store, a, b, runA, runB } = await twoTenants();
    const missing = {
      ok: false,
      error: { code: 'RUN_NOT_FOUND', message: `no run "${runB}" — list runs with \`baton runs\`` },
    };
    const before = await b.listEvents(runB);
    expect(await a.apply(runB, { type: 'pause', by: 'eve' }, T0 + 1)).toEqual(missing);
    // Also once this process has the run cached (the system scope applied an input to it).
    expectOk(await store.apply(runB, { type: 'set_title', title: 'B’s run', by: 'bo' }, T0 + 1));
    expect(await a.apply(runB, { type: 'cancel', by: 'eve' }, T0 + 2)).toEqual(missing);
    expect(await a.apply(runB, { type: 'set_title', title: 'mine now', by: 'eve' }, T0 + 2)).toEqual(missing);
    expect(await a.deleteRun(runB)).toEqual(missing);
    expect((await b.listEvents(runB)).length).toBe(before.length + 1);
    expect(await b.getRun(runB)).toMatchObject({ status: 'running', title: 'B’s run' });

    // Model calls: refused on B's run in A, kept apart per tenant.
    const call: ModelCallRecord = {
      runId: runB,
      phaseId: 'x',
      attempt: 1,
      agent: 'writer',
      provider: 'openai',
      model: 'gpt-a',
      inputTokens: 10,
      outputTokens: 2,
      cachedTokens: 0,
      costUsd: 0.5,
      latencyMs: 3,
      status: 'ok',
      at: T0 + 3,
    };
    const refused = await a.recordModelCall(call).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isBatonError(refused, 'RUN_NOT_FOUND')).toBe(true);
    await b.recordModelCall(call);
    await store.recordModelCall({ ...call, at: T0 + 4 });
    expect(await a.listModelCalls(runB)).toEqual([]);
    expect(await a.modelUsage(runB)).toEqual({ total: NO_USAGE, phases: [] });
    expect(await b.listModelCalls(runB)).toEqual([call, { ...call, at: T0 + 4 }]);
    expect((await store.modelUsage(runB)).total).toMatchObject({ calls: 2, costUsd: 1 });

    // Leases: A can neither renew nor recover B's task, nor take its next one in a completing step.
    const [bx] = await b.claim({ limit: 1, now: T0 + 5, leaseMs: 1_000 });
    const [ax] = await a.claim({ limit: 1, now: T0 + 5, leaseMs: 1_000 });
    expect(await a.heartbeat([{ task: keyOf(bx!), token: bx!.lease.token }], T0 + 900, 60_000)).toEqual({
      lost: [keyOf(bx!)],
    });
    expect(await a.recoverExpired(T0 + 1_005, { runId: runB })).toEqual([]);
    const recoveredInA = await a.recoverExpired(T0 + 1_005);
    expect(recoveredInA.map((t) => t.ok && t.state.runId)).toEqual([runA]);
    expect(await b.runningTasks()).toMatchObject([{ runId: runB, phaseId: 'x', heartbeatAt: T0 + 5 }]);
    // B's lease was not renewed by A's heartbeat: it expired when it was due to.
    const recoveredInB = await b.recoverExpired(T0 + 1_005);
    expect(recoveredInB.map((t) => t.ok && t.state.runId)).toEqual([runB]);

    // A's completing step claims A's due work only, though B's is older.
    const [ax2] = await a.claim({ limit: 1, now: T0 + 2_000 });
    expect(ax2).toMatchObject({ runId: runA, phaseId: 'x', attempt: 2 });
    const done = expectOk(
      await a.apply(runA, { type: 'succeed', phaseId: 'x', attempt: 2, output: payload('a') }, T0 + 2_001, {
        leaseToken: ax2!.lease.token,
        claimNext: { limit: 10 },
      }),
    );
    expect((done.claimed ?? []).map(taskKey)).toEqual([`${runA}/y#1`]);
    expect(await b.nextDue()).toBe(T0 + 1_005);
    expect(ax).toMatchObject({ runId: runA });
  });

  it('creates runs of the system scope in the local tenant, and refuses runs of a tenant nobody added', async () => {
    const store = ctx.store();
    const tenant = ctx.newId('cobalt');
    await store.ensureTenant({ id: tenant, name: 'Cobalt' }, T0);
    const local = ctx.newId('local');
    await createIn(store, local);
    expect((await store.listRuns()).find((run) => run.id === local)).toMatchObject({
      tenantId: LOCAL_TENANT,
    });
    expect(await store.forTenant(LOCAL_TENANT).getRun(local)).toMatchObject({ runId: local });
    expect(await store.forTenant(tenant).getRun(local)).toBeUndefined();

    const nobody = store.forTenant(ctx.newId('nobody'));
    const refused = await nobody.createRun(
      { type: 'create', runId: ctx.newId('orphan'), workflow: wf, fixtures: {}, inputs: {}, by: 'eve' },
      T0,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await nobody.listRuns()).toEqual([]);
    expect(await nobody.claim({ limit: 10, now: T0 + 1 })).toEqual([]);
    expect(await nobody.nextWakeup()).toBeUndefined();
  });
}
