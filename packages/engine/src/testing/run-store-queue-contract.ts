/**
 * The task-queue part of the `RunStore` contract: leases, heartbeats, stuck recovery, lease tokens
 * on results, claiming in the completing transaction, the wake-up time and subscriptions. Called
 * by `runStoreContract` inside its `describe` block, with its store and helpers.
 *
 * Over 400 lines because: leases, recovery, lease tokens and claiming in the completing
 * transaction are one state machine whose cases build on each other's setups; a further split
 * would pass the same suite context through more files for no gain in reading.
 */
import { expect, it } from 'vitest';
import { DEFAULT_LEASE_MS, type ClaimedTask, type RunStore, type TaskKey } from '../ports/run-store.js';
import type { PhaseProgressEvent } from '../ports/phase-handler.js';
import { DEFAULT_RETRY } from '../definition/rules.js';
import type { WorkflowDefinition } from '../types.js';
import { expectOk, T0, taskKey } from './contract-helpers.js';
import type { RunStoreContractOpenOptions, RunStoreContractOptions } from './contract-options.js';
import { testPayload as payload, testPhase as phase, testWorkflow as workflow } from './workflow-fixtures.js';

/** What the queue tests need of the surrounding suite. */
export interface QueueContractContext {
  /** The store of the current test (opened before it, closed after it). */
  readonly store: () => RunStore;
  /** Opens another store (the test closes it). */
  readonly open: (options?: RunStoreContractOpenOptions) => Promise<RunStore>;
  /** Creates a run with a unique id at `now` (default T0) and returns the id. */
  readonly create: (wf: WorkflowDefinition, now?: number) => Promise<string>;
  readonly expectLogFoldsToState: (runId: string) => Promise<void>;
}

function keyOf(task: ClaimedTask): TaskKey {
  return { runId: task.runId, phaseId: task.phaseId, attempt: task.attempt };
}

function byPhase<T extends { phaseId: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.phaseId.localeCompare(b.phaseId));
}

/** Resolves once `done()` holds; fails after `timeoutMs`. */
async function eventually(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function runStoreQueueContract(ctx: QueueContractContext, options: RunStoreContractOptions): void {
  const { create, expectLogFoldsToState } = ctx;

  it('gives every claim a lease with its own token that expires leaseMs after the claim', async () => {
    const store = ctx.store();
    const runId = await create(workflow('lease', phase('a'), phase('b')));
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 1, leaseMs: 5_000, workerId: 'host:1' });
    const [b] = await store.claim({ runId, limit: 1, now: T0 + 2 });

    expect(a!.lease).toEqual({ token: expect.any(String), expiresAt: T0 + 5_001 });
    expect(a!.lease.token).not.toBe('');
    expect(b!.lease.expiresAt).toBe(T0 + 2 + DEFAULT_LEASE_MS);
    expect(b!.lease.token).not.toBe(a!.lease.token);
  });

  it('renews the leases a heartbeat still holds and reports the ones it lost', async () => {
    const store = ctx.store();
    const runId = await create(workflow('heartbeat', phase('a'), phase('b'), phase('c')));
    const claimed = byPhase(await store.claim({ runId, limit: 3, now: T0 + 1, leaseMs: 1_000 }));
    const [a, b, c] = claimed as [ClaimedTask, ClaimedTask, ClaimedTask];
    expect(await store.heartbeat([], T0 + 2)).toEqual({ lost: [] });

    const first = await store.heartbeat(
      [
        { task: keyOf(a), token: a.lease.token },
        { task: keyOf(b), token: `${b.lease.token}-not-mine` },
      ],
      T0 + 500,
      1_000,
    );
    expect(first.lost).toEqual([keyOf(b)]);
    // a now expires at T0 + 1500; b and c still at T0 + 1001.
    expect((await store.recoverExpired(T0 + 1_001, { runId })).length).toBe(2);
    expect((await store.runningTasks({ runId })).map(taskKey)).toEqual([taskKey(a)]);

    // A lease that expired but was not recovered yet is still its holder's to renew.
    expect(await store.heartbeat([{ task: keyOf(a), token: a.lease.token }], T0 + 1_600, 1_000)).toEqual({
      lost: [],
    });
    expect(await store.recoverExpired(T0 + 2_000, { runId })).toEqual([]);
    // A recovered task is lost to its old holder.
    expect(await store.heartbeat([{ task: keyOf(c), token: c.lease.token }], T0 + 2_000)).toEqual({
      lost: [keyOf(c)],
    });
  });

  it("recovers an expired lease as a lost attempt, runs a new one and ignores the old holder's result", async () => {
    const store = ctx.store();
    const runId = await create(workflow('lost', phase('a'), phase('b', { needs: ['a'] })));
    const [first] = await store.claim({ runId, limit: 1, now: T0 + 1, leaseMs: 1_000 });
    expect(await store.recoverExpired(T0 + 1_000, { runId })).toEqual([]);

    const recovered = await store.recoverExpired(T0 + 1_001, { runId });
    expect(recovered).toHaveLength(1);
    const transition = expectOk(recovered[0]!);
    expect(transition.events).toEqual([
      expect.objectContaining({ type: 'phase_failed', phaseId: 'a', attempt: 1, abandoned: 'lost' }),
      expect.objectContaining({ type: 'phase_ready', phaseId: 'a', attempt: 2 }),
    ]);
    expect(transition.state.phases.a).toMatchObject({ status: 'ready', attempt: 2, recoveries: 1 });
    expect(await store.runningTasks({ runId })).toEqual([]);
    expect(await store.nextDue({ runId })).toBe(T0 + 1_001);
    expect(await store.recoverExpired(T0 + 5_000, { runId })).toEqual([]);

    const logLength = (await store.listEvents(runId)).length;
    const late = expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('late') },
        T0 + 1_002,
        { leaseToken: first!.lease.token },
      ),
    );
    expect(late.ignored).toEqual(expect.any(String));
    expect(late.events).toEqual([]);
    expect((await store.listEvents(runId)).length).toBe(logLength);

    const [second] = await store.claim({ runId, limit: 1, now: T0 + 1_003, leaseMs: 1_000 });
    expect(second).toMatchObject({ phaseId: 'a', attempt: 2 });
    expect(second!.lease.token).not.toBe(first!.lease.token);
    const done = expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: 2, output: payload('a') },
        T0 + 1_004,
        { leaseToken: second!.lease.token },
      ),
    );
    expect(done.ignored).toBeUndefined();
    expect(done.state.phases.a?.status).toBe('completed');
    await expectLogFoldsToState(runId);
  });

  it(`fails the phase as STUCK when its lease is lost ${DEFAULT_RETRY.maxRecoveries + 1} times in a row`, async () => {
    const store = ctx.store();
    const runId = await create(workflow('stuck', phase('a')));
    let now = T0;
    for (let attempt = 1; attempt <= DEFAULT_RETRY.maxRecoveries + 1; attempt++) {
      now += 10;
      const [task] = await store.claim({ runId, limit: 1, now, leaseMs: 100 });
      expect(task).toMatchObject({ phaseId: 'a', attempt });
      now += 100;
      const [recovered] = await store.recoverExpired(now, { runId });
      const state = expectOk(recovered!).state;
      if (attempt <= DEFAULT_RETRY.maxRecoveries) {
        expect(state.phases.a).toMatchObject({ status: 'ready', attempt: attempt + 1, recoveries: attempt });
      } else {
        expect(state.phases.a).toMatchObject({ status: 'failed', attempt, error: { code: 'STUCK' } });
        expect(state.status).toBe('failed');
      }
    }
    expect(await store.nextWakeup({ runId })).toBeUndefined();
    expect(await store.runningTasks({ runId })).toEqual([]);
    await expectLogFoldsToState(runId);
  });

  it('takes the lease of an attempt a transition aborts, so its holder stops it at the next heartbeat', async () => {
    const store = ctx.store();
    const runId = await create(workflow('abort', phase('a'), phase('b', { needs: ['a'] })));
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
    expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 2, {
        leaseToken: a!.lease.token,
      }),
    );
    const [b] = await store.claim({ runId, limit: 1, now: T0 + 3 });
    const held = { task: keyOf(b!), token: b!.lease.token };
    expect(await store.heartbeat([held], T0 + 4)).toEqual({ lost: [] });

    // A person rewinds the run to `a` while `b` runs elsewhere.
    expectOk(await store.apply(runId, { type: 'rewind', phaseId: 'a', by: 'ana' }, T0 + 5));
    expect(await store.heartbeat([held], T0 + 6)).toEqual({ lost: [keyOf(b!)] });
    expect((await store.runningTasks({ runId })).map((task) => task.phaseId)).toEqual([]);
    const late = await store.apply(
      runId,
      { type: 'succeed', phaseId: 'b', attempt: 1, output: payload('late') },
      T0 + 7,
      { leaseToken: b!.lease.token },
    );
    expect(late).toMatchObject({
      ok: true,
      events: [],
      commands: [],
      ignored: expect.stringContaining('attempt 1 of "b"'),
    });
    expect((await store.claim({ runId, limit: 5, now: T0 + 8 })).map(taskKey)).toEqual([`${runId}/a#2`]);
    await expectLogFoldsToState(runId);
  });

  it('applies a result only under the lease it was claimed with, or without a token at all', async () => {
    const store = ctx.store();
    const runId = await create(workflow('tokens', phase('a'), phase('b'), phase('c')));
    const [a, b, c] = byPhase(await store.claim({ runId, limit: 3, now: T0 + 1 })) as [
      ClaimedTask,
      ClaimedTask,
      ClaimedTask,
    ];
    const logLength = (await store.listEvents(runId)).length;

    expect(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: 'nope', attempt: 1, output: payload('x') },
        T0 + 2,
        { leaseToken: a.lease.token },
      ),
    ).toMatchObject({ ok: false, error: { code: 'PHASE_NOT_FOUND' } });
    const wrong = expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('x') }, T0 + 2, {
        leaseToken: `${a.lease.token}-forged`,
      }),
    );
    expect(wrong.ignored).toEqual(expect.any(String));
    expect(wrong.events).toEqual([]);
    expect((await store.listEvents(runId)).length).toBe(logLength);
    // The task is still its holder's: neither finished nor lost.
    expect((await store.runningTasks({ runId })).map(taskKey)).toContain(taskKey(a));
    expect(await store.heartbeat([{ task: keyOf(a), token: a.lease.token }], T0 + 2)).toEqual({ lost: [] });

    const right = expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 3, {
        leaseToken: a.lease.token,
      }),
    );
    expect(right.ignored).toBeUndefined();
    expect(right.state.phases.a?.status).toBe('completed');
    const again = expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 4, {
        leaseToken: a.lease.token,
      }),
    );
    expect(again.ignored).toEqual(expect.any(String));
    expect(again.events).toEqual([]);

    const untokened = expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'b', attempt: 1, output: payload('b') }, T0 + 5),
    );
    expect(untokened.ignored).toBeUndefined();
    const failed = expectOk(
      await store.apply(
        runId,
        {
          type: 'fail',
          phaseId: 'c',
          attempt: 1,
          error: { code: 'EXIT_CODE', message: 'x' },
          retryable: false,
        },
        T0 + 6,
        { leaseToken: c.lease.token },
      ),
    );
    expect(failed.state.phases.c?.status).toBe('failed');
    expect(await store.heartbeat([{ task: keyOf(b), token: b.lease.token }], T0 + 7)).toEqual({
      lost: [keyOf(b)],
    });
    expect(await store.runningTasks({ runId })).toEqual([]);
    await expectLogFoldsToState(runId);
  });

  it('finishes the task of an attempt that suspends (a budget, an interrupt) and of no warning', async () => {
    const store = ctx.store();
    const runId = await create(
      workflow('suspend', phase('a', { kind: 'agent', agent: 'writer', run: undefined })),
    );
    const [task] = await store.claim({ runId, limit: 1, now: T0 + 1 });
    const lease = { leaseToken: task!.lease.token };
    const warn = { type: 'warn', phaseId: 'a', attempt: 1, code: 'BUDGET_WARNING', message: '80%' } as const;
    expectOk(await store.apply(runId, warn, T0 + 2, lease));
    expect(await store.runningTasks({ runId })).toHaveLength(1);
    const suspend = { type: 'suspend', phaseId: 'a', attempt: 1, source: 'budget', reason: 'over' } as const;
    const transition = expectOk(await store.apply(runId, suspend, T0 + 3, lease));
    expect(transition.state.phases.a).toMatchObject({
      status: 'waiting_for_human',
      waiting: { source: 'budget' },
    });
    // Nothing is left running: no process waits for its lease to expire.
    expect(await store.runningTasks({ runId })).toEqual([]);
    expect(await store.nextWakeup({ runId })).toBeUndefined();
    await expectLogFoldsToState(runId);
  });

  it('claims the tasks a result unblocked in the same transaction, up to the limit', async () => {
    const store = ctx.store();
    const runId = await create(
      workflow(
        'claim-next',
        phase('a'),
        phase('b', { needs: ['a'] }),
        phase('c', { needs: ['a'] }),
        phase('d', { needs: ['a'] }),
      ),
    );
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
    const transition = expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 2, {
        leaseToken: a!.lease.token,
        claimNext: { runId, limit: 2, leaseMs: 1_000, workerId: 'host:2' },
      }),
    );
    const claimed = transition.claimed ?? [];
    expect(claimed).toHaveLength(2);
    for (const task of claimed) {
      expect(['b', 'c', 'd']).toContain(task.phaseId);
      expect(task).toMatchObject({ runId, attempt: 1, kind: 'tool' });
      expect(task.lease).toEqual({ token: expect.any(String), expiresAt: T0 + 1_002 });
      expect(task.state.phases[task.phaseId]?.status).toBe('running');
      expect(task.events).toEqual([
        expect.objectContaining({ type: 'phase_started', phaseId: task.phaseId, attempt: 1 }),
      ]);
    }
    // The transition's events, then each claim's, continue one gap-free log.
    const events = await store.listEvents(runId);
    expect(events.slice(-(transition.events.length + 2))).toEqual([
      ...transition.events,
      ...claimed[0]!.events,
      ...claimed[1]!.events,
    ]);
    expect(byPhase(await store.runningTasks({ runId })).map(taskKey)).toEqual(byPhase(claimed).map(taskKey));
    const rest = await store.claim({ runId, limit: 5, now: T0 + 3 });
    expect(rest).toHaveLength(1);
    expect(new Set([...claimed, ...rest].map((t) => t.phaseId))).toEqual(new Set(['b', 'c', 'd']));

    // A result that frees nothing, or a limit of 0, claims nothing.
    const [b, c] = claimed as [ClaimedTask, ClaimedTask];
    const none = expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: b.phaseId, attempt: 1, output: payload('b') },
        T0 + 4,
        { leaseToken: b.lease.token, claimNext: { runId, limit: 3 } },
      ),
    );
    expect(none.claimed).toEqual([]);
    const zero = expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: c.phaseId, attempt: 1, output: payload('c') },
        T0 + 5,
        { leaseToken: c.lease.token, claimNext: { runId, limit: 0 } },
      ),
    );
    expect(zero.claimed).toEqual([]);
    await expectLogFoldsToState(runId);
  });

  it("claims only the given run's tasks in the completing transaction", async () => {
    const store = ctx.store();
    const other = await create(workflow('bystander', phase('x')));
    const runId = await create(workflow('scoped', phase('a'), phase('b', { needs: ['a'] })), T0 + 1);
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 2 });
    const transition = expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 3, {
        leaseToken: a!.lease.token,
        claimNext: { runId, limit: 5 },
      }),
    );
    expect((transition.claimed ?? []).map(taskKey)).toEqual([`${runId}/b#1`]);
    expect(await store.nextDue({ runId: other })).toBe(T0);
    expect(await store.runningTasks({ runId: other })).toEqual([]);
  });

  it('wakes at the earliest of the next due task and the next lease expiry', async () => {
    const store = ctx.store();
    const retry = { maxAttempts: 3, backoffMs: 1_000, maxBackoffMs: 1_000, maxRecoveries: 3 };
    const runId = await create(workflow('wakeup', phase('p', { retry }), phase('q')));
    expect(await store.nextWakeup({ runId })).toBe(T0);

    const [p, q] = byPhase(await store.claim({ runId, limit: 2, now: T0, leaseMs: 10_000 })) as [
      ClaimedTask,
      ClaimedTask,
    ];
    expect(await store.nextWakeup({ runId })).toBe(T0 + 10_000);
    const failed = expectOk(
      await store.apply(
        runId,
        {
          type: 'fail',
          phaseId: 'p',
          attempt: 1,
          error: { code: 'EXIT_CODE', message: 'x' },
          retryable: true,
        },
        T0 + 10,
        { leaseToken: p.lease.token },
      ),
    );
    const retryAt = failed.state.phases.p!.notBefore!;
    expect(retryAt).toBeGreaterThan(T0 + 200);
    expect(await store.nextWakeup({ runId })).toBe(retryAt);
    await store.heartbeat([{ task: keyOf(q), token: q.lease.token }], T0 + 20, 100);
    expect(await store.nextWakeup({ runId })).toBe(T0 + 120);
    expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'q', attempt: 1, output: payload('q') }, T0 + 30, {
        leaseToken: q.lease.token,
      }),
    );
    expect(await store.nextWakeup({ runId })).toBe(retryAt);
    const [again] = await store.claim({ runId, limit: 1, now: retryAt, leaseMs: 50 });
    expect(await store.nextWakeup({ runId })).toBe(retryAt + 50);
    expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: 'p', attempt: 2, output: payload('p') },
        retryAt + 1,
        {
          leaseToken: again!.lease.token,
        },
      ),
    );
    expect(await store.nextWakeup({ runId })).toBeUndefined();
    expect(await store.nextWakeup({ runId: `${runId}-none` })).toBeUndefined();
  });

  it('calls subscribers after a change commits, keeps going when one throws, and stops on unsubscribe', async () => {
    const store = ctx.store();
    let calls = 0;
    const unsubscribe = await store.subscribe(() => {
      calls += 1;
    });
    const unsubscribeThrowing = await store.subscribe(() => {
      throw new Error('a broken subscriber');
    });

    const runId = await create(workflow('subscribe', phase('a'), phase('b', { needs: ['a'] })));
    expect(calls).toBeGreaterThanOrEqual(1);
    let before = calls;
    // A claim only takes work: it leaves nothing for anybody else to do, so it wakes nobody.
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
    expectOk(
      await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 2, {
        leaseToken: a!.lease.token,
      }),
    );
    // Wake-ups come in commit order, one per waking commit: exactly the result's, none for the claim.
    await eventually(() => calls > before);
    expect(calls).toBe(before + 1);

    await unsubscribe();
    await unsubscribeThrowing();
    before = calls;
    // A subscriber added now hears the next change; once it has, an unsubscribed one would have too.
    let sentinel = 0;
    const unsubscribeSentinel = await store.subscribe(() => {
      sentinel += 1;
    });
    expectOk(await store.apply(runId, { type: 'pause', by: 'ana' }, T0 + 3));
    await eventually(() => sentinel > 0);
    expect(calls).toBe(before);
    await unsubscribeSentinel();
  });

  it('delivers published progress to its subscribers, a long text cut to its end, until they unsubscribe', async () => {
    const store = ctx.store();
    const seen: PhaseProgressEvent[] = [];
    const unsubscribe = await store.subscribeProgress((event) => seen.push(event));
    const event = { type: 'phase_progress', runId: 'r', phaseId: 'a', attempt: 1, at: T0 } as const;
    await store.publishProgress({ ...event, text: 'Baton 0.2 is', outputTokens: 3 });
    await store.publishProgress({ ...event, text: 'x'.repeat(5000) });
    await eventually(() => seen.length >= 2);
    expect(seen[0]).toEqual({ ...event, text: 'Baton 0.2 is', outputTokens: 3 });
    expect(seen[1]).toEqual({ ...event, text: 'x'.repeat(2000), textLength: 5000 });
    await unsubscribe();
    // A subscriber added now sees 'after'; once it has, an unsubscribed one would have too.
    const sentinel: PhaseProgressEvent[] = [];
    const unsubscribeSentinel = await store.subscribeProgress((progress) => sentinel.push(progress));
    await store.publishProgress({ ...event, text: 'after' });
    await eventually(() => sentinel.length > 0);
    expect(seen).toHaveLength(2);
    await unsubscribeSentinel();
  });

  it.skipIf(!options.wakesOtherStores)(
    'delivers progress published through one store to the progress subscribers of another',
    async () => {
      const other = await ctx.open();
      try {
        const seen: PhaseProgressEvent[] = [];
        const unsubscribe = await other.subscribeProgress((event) => seen.push(event));
        const event = { type: 'phase_progress', runId: 'r', phaseId: 'a', attempt: 2, at: T0 } as const;
        await ctx.store().publishProgress({ ...event, text: 'y'.repeat(5000), object: { title: 'Baton' } });
        await eventually(() => seen.length > 0);
        // A notification is small: the text's end, its whole length.
        expect(seen).toEqual([
          { ...event, text: 'y'.repeat(2000), textLength: 5000, object: { title: 'Baton' } },
        ]);
        await unsubscribe();
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(!options.wakesOtherStores)(
    'wakes the subscribers of another store on the same database after a commit',
    async () => {
      const other = await ctx.open();
      try {
        let woken = 0;
        const unsubscribe = await other.subscribe(() => {
          woken += 1;
        });
        const runId = await create(workflow('cross-store', phase('a')));
        await eventually(() => woken > 0);
        expect((await other.claim({ runId, limit: 1, now: T0 + 1 })).map(taskKey)).toEqual([`${runId}/a#1`]);

        await unsubscribe();
        const before = woken;
        // A subscriber added now hears the cancel; once it has, an unsubscribed one would have too.
        let sentinel = 0;
        const unsubscribeSentinel = await other.subscribe(() => {
          sentinel += 1;
        });
        expectOk(await ctx.store().apply(runId, { type: 'cancel', by: 'ana' }, T0 + 2));
        await eventually(() => sentinel > 0);
        expect(woken).toBe(before);
        await unsubscribeSentinel();
      } finally {
        await other.close();
      }
    },
  );
}
