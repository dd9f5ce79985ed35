/**
 * The run-event notice part of the `RunStore` contract (`subscribeEvents`): every commit that
 * appended events — a new run, a transition, a bare claim, a result that claims its successor, a
 * recovery — tells the event subscribers the run's last seq once it committed; a refused input
 * tells nobody; a tenant's view hears only its tenant's runs; and, where stores share a database
 * across processes, the subscribers of another store hear every commit too. Called by
 * `runStoreContract` inside its `describe` block.
 */
import { expect, it } from 'vitest';
import {
  LOCAL_TENANT,
  type RunEventsNotice,
  type RunStore,
  type ScopedRunStore,
} from '../ports/run-store.js';
import { expectOk, T0 } from './contract-helpers.js';
import type { RunStoreContractOptions } from './contract-options.js';
import { testPayload as payload, testPhase as phase, testWorkflow as workflow } from './workflow-fixtures.js';

/** What the event-notice tests need of the surrounding suite. */
export interface EventsContractContext {
  /** The store of the current test (the system scope). */
  readonly store: () => ScopedRunStore;
  /** Opens another store on the same data (the test closes it). */
  readonly open: () => Promise<RunStore>;
  /** A run id (or tenant id) unique to the suite run, ending in `label`. */
  readonly newId: (label: string) => string;
}

const wf = workflow(
  'notices',
  phase('a'),
  phase('b', { needs: ['a'], retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 } }),
);

/** Resolves once `done()` holds; fails after `timeoutMs`. */
async function eventually(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function createIn(store: RunStore, runId: string): Promise<void> {
  expectOk(
    await store.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0),
  );
}

/** Drives a run through every kind of write; returns the last seq after each. */
async function driveEveryWrite(store: RunStore, runId: string): Promise<number[]> {
  const seqs: number[] = [];
  const seq = async () => seqs.push((await store.getRun(runId))!.seq);
  await createIn(store, runId);
  await seq();
  // A bare claim: it wakes nobody, but it appends `phase_started`.
  const [a] = await store.claim({ runId, limit: 1, now: T0 + 1, leaseMs: 1_000 });
  await seq();
  // A result that claims its successor in the same write.
  const result = expectOk(
    await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 2, {
      leaseToken: a!.lease.token,
      claimNext: { runId, limit: 1, leaseMs: 1_000 },
    }),
  );
  expect(result.claimed).toHaveLength(1);
  await seq();
  // The successor's lease expires: the recovery appends the lost attempt.
  expect(await store.recoverExpired(T0 + 10_000, { runId })).toHaveLength(1);
  await seq();
  return seqs;
}

export function runStoreEventsContract(ctx: EventsContractContext, options: RunStoreContractOptions): void {
  it('tells event subscribers of every commit that appended events, claims and recoveries included, by the time it resolves', async () => {
    const store = ctx.store();
    const runId = ctx.newId('notices');
    const notices: RunEventsNotice[] = [];
    const unsubscribe = await store.subscribeEvents((notice) => {
      if (notice.runId === runId) notices.push(notice);
    });
    const throwing = await store.subscribeEvents(() => {
      throw new Error('a broken subscriber');
    });

    const seqs = await driveEveryWrite(store, runId);
    expect(notices.map(({ events: _events, ...notice }) => notice)).toEqual(
      seqs.map((lastSeq) => ({ tenantId: LOCAL_TENANT, runId, lastSeq })),
    );
    // The store's own commits carry their events: exactly the log's, since the notice before.
    const log = await store.listEvents(runId);
    notices.forEach((notice, i) => {
      const after = i === 0 ? 0 : notices[i - 1]!.lastSeq;
      const stored = log.filter((event) => event.seq > after && event.seq <= notice.lastSeq);
      expect(JSON.parse(JSON.stringify(notice.events))).toEqual(JSON.parse(JSON.stringify(stored)));
    });

    // A refused input appends nothing and tells nothing.
    const refused = await store.apply(
      runId,
      { type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ana' },
      T0 + 20_000,
    );
    expect(refused.ok).toBe(false);
    expect(notices).toHaveLength(seqs.length);

    await unsubscribe();
    await throwing();
    expectOk(await store.apply(runId, { type: 'pause', by: 'ana' }, T0 + 20_001));
    expect(notices).toHaveLength(seqs.length);
  });

  it("delivers to a tenant's view only the notices of its tenant's runs", async () => {
    const store = ctx.store();
    const [ta, tb] = [ctx.newId('notice-a'), ctx.newId('notice-b')];
    await store.ensureTenant({ id: ta, name: 'A' }, T0);
    await store.ensureTenant({ id: tb, name: 'B' }, T0);
    const heard = { a: [] as string[], all: [] as string[] };
    const [runA, runB] = [ctx.newId('run-a'), ctx.newId('run-b')];
    const stops = await Promise.all([
      store.forTenant(ta).subscribeEvents((n) => heard.a.push(`${n.tenantId}/${n.runId}`)),
      store.subscribeEvents((n) => {
        if (n.runId === runA || n.runId === runB) heard.all.push(`${n.tenantId}/${n.runId}`);
      }),
    ]);
    await createIn(store.forTenant(tb), runB);
    await createIn(store.forTenant(ta), runA);
    expect(heard).toEqual({ a: [`${ta}/${runA}`], all: [`${tb}/${runB}`, `${ta}/${runA}`] });
    for (const stop of stops) await stop();
  });

  it.skipIf(!options.wakesOtherStores)(
    'tells the event subscribers of another store on the same database of every commit, each once',
    async () => {
      const other = await ctx.open();
      try {
        const runId = ctx.newId('notices-elsewhere');
        const there: number[] = [];
        const here: number[] = [];
        const stopThere = await other.subscribeEvents((notice) => {
          if (notice.runId === runId) there.push(notice.lastSeq);
        });
        const stopHere = await ctx.store().subscribeEvents((notice) => {
          if (notice.runId === runId) here.push(notice.lastSeq);
        });
        const seqs = await driveEveryWrite(ctx.store(), runId);
        await eventually(() => there.at(-1) === seqs.at(-1));
        expect(there).toEqual(seqs);
        // This store's own subscriber hears its commits once (not again through the database).
        expect(here).toEqual(seqs);
        await stopThere();
        await stopHere();
      } finally {
        await other.close();
      }
    },
  );
}
