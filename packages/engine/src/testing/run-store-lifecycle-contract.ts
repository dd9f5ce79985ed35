/**
 * The run-lifecycle part of the `RunStore` contract: listing runs (filters, keyset pages), titles,
 * deleting a run, and the sign of life of running tasks. Called by `runStoreContract` inside its
 * `describe` block, with its store.
 *
 * The listing cases work in a tenant of their own, so the list holds exactly their runs whatever
 * else shares the database.
 */
import { expect, it } from 'vitest';
import { isBatonError } from '../errors.js';
import type { ModelCallRecord } from '../ports/model-calls.js';
import type { ListRunsOptions, RunStore, RunSummary, ScopedRunStore } from '../ports/run-store.js';
import type { WorkflowDefinition } from '../types.js';
import { expectOk, T0 } from './contract-helpers.js';
import { testPayload as payload, testPhase as phase, testWorkflow as workflow } from './workflow-fixtures.js';

/** What the lifecycle tests need of the surrounding suite. */
export interface LifecycleContractContext {
  /** The store of the current test (the system scope). */
  readonly store: () => ScopedRunStore;
  /** A run id (or tenant id) unique to the suite run, ending in `label`. */
  readonly newId: (label: string) => string;
}

async function createIn(store: RunStore, runId: string, wf: WorkflowDefinition, now = T0, title?: string) {
  return expectOk(
    await store.createRun(
      {
        type: 'create',
        runId,
        workflow: wf,
        fixtures: {},
        inputs: {},
        by: 'ana',
        ...(title === undefined ? {} : { title }),
      },
      now,
    ),
  );
}

/** Every page of `options` with pages of `size`, following `before` from each page's last run. */
async function allPages(store: RunStore, options: ListRunsOptions, size: number): Promise<RunSummary[][]> {
  const pages: RunSummary[][] = [];
  let before: ListRunsOptions['before'];
  for (;;) {
    const page = await store.listRuns({
      ...options,
      limit: size,
      ...(before === undefined ? {} : { before }),
    });
    if (page.length === 0) return pages;
    pages.push(page);
    const last = page.at(-1)!;
    before = { createdAt: last.createdAt, id: last.id };
  }
}

export function runStoreLifecycleContract(ctx: LifecycleContractContext): void {
  async function newTenant(label: string): Promise<RunStore> {
    const id = ctx.newId(label);
    await ctx.store().ensureTenant({ id, name: label }, T0);
    return ctx.store().forTenant(id);
  }

  it('lists runs newest first and pages through them by (createdAt, id) without losing or repeating one', async () => {
    const store = await newTenant('pages');
    const alpha = workflow('alpha', phase('a'));
    const beta = workflow('beta', phase('a'));
    // Three runs share each creation time; ids differ only in their last letter.
    const base = ctx.newId('run-');
    const made: { id: string; at: number; wf: WorkflowDefinition }[] = [];
    for (const [i, letter] of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
      made.push({ id: `${base}${letter}`, at: T0 + Math.floor(i / 3), wf: i % 2 === 0 ? alpha : beta });
    }
    // Created out of order: the order is the data's, not the insertion's.
    for (const run of [...made].reverse()) await createIn(store, run.id, run.wf, run.at);
    for (const id of [made[1]!.id, made[4]!.id, made[6]!.id])
      expectOk(await store.apply(id, { type: 'pause', by: 'ana' }, T0 + 10));

    const newestFirst = [...made].sort((x, y) => y.at - x.at || (x.id < y.id ? 1 : -1)).map((r) => r.id);
    const listed = await store.listRuns();
    expect(listed.map((run) => run.id)).toEqual(newestFirst);
    expect(listed.slice(0, 2)).toEqual([
      {
        id: made[7]!.id,
        tenantId: expect.any(String),
        workflowId: 'beta',
        status: 'running',
        createdAt: T0 + 2,
        updatedAt: T0 + 2,
      },
      {
        id: made[6]!.id,
        tenantId: expect.any(String),
        workflowId: 'alpha',
        status: 'paused',
        createdAt: T0 + 2,
        updatedAt: T0 + 10,
      },
    ]);
    for (const size of [1, 2, 3, 5]) {
      const pages = await allPages(store, {}, size);
      expect(pages.every((page) => page.length <= size)).toBe(true);
      expect(pages.flat().map((run) => run.id)).toEqual(newestFirst);
    }
    // `before` is exclusive, and a position between runs works as well as a run's own.
    const [, second] = listed;
    expect((await store.listRuns({ before: second! })).map((run) => run.id)).toEqual(newestFirst.slice(2));
    expect(
      (await store.listRuns({ before: { createdAt: T0 + 1, id: `${base}z` } })).map((run) => run.id),
    ).toEqual(newestFirst.filter((id) => made.find((run) => run.id === id)!.at <= T0 + 1));

    // Filters, alone, together and paged.
    const paused = (await store.listRuns({ status: 'paused' })).map((run) => run.id);
    expect(paused).toEqual(newestFirst.filter((id) => [made[1], made[4], made[6]].some((r) => r!.id === id)));
    const betas = await store.listRuns({ workflowId: 'beta' });
    expect(betas.map((run) => run.workflowId)).toEqual(['beta', 'beta', 'beta', 'beta']);
    const pausedBetas = await store.listRuns({ workflowId: 'beta', status: 'paused' });
    expect(pausedBetas.map((run) => run.id)).toEqual([made[1]!.id]);
    const pausedPages = await allPages(store, { status: 'paused' }, 2);
    expect(pausedPages.map((page) => page.length)).toEqual([2, 1]);
    expect(pausedPages.flat().map((run) => run.id)).toEqual(paused);
    expect(await store.listRuns({ status: 'completed' })).toEqual([]);
    expect(await store.listRuns({ workflowId: 'gamma' })).toEqual([]);
    expect(await store.listRuns({ limit: 0 })).toEqual([]);
  });

  it('keeps a title set at creation or later, in the state and in the list, a person’s over an output’s', async () => {
    const store = await newTenant('titles');
    const wf = workflow('titled', phase('a'));
    const named = ctx.newId('named');
    const created = await createIn(store, named, wf, T0, '  Quarterly report ');
    expect(created.state).toMatchObject({ title: 'Quarterly report', titleSetByPerson: true });
    const plain = ctx.newId('plain');
    await createIn(store, plain, wf, T0 + 1);
    expect((await store.listRuns()).map((run) => [run.id, run.title])).toEqual([
      [plain, undefined],
      [named, 'Quarterly report'],
    ]);
    expect((await store.listRuns()).find((run) => run.id === plain)).not.toHaveProperty('title');

    const fromOutput = expectOk(
      await store.apply(
        plain,
        { type: 'set_title', title: 'Guessed', by: 'worker', source: 'output' },
        T0 + 2,
      ),
    );
    expect(fromOutput.events).toMatchObject([{ type: 'run_titled', source: 'output' }]);
    const ignored = expectOk(
      await store.apply(
        named,
        { type: 'set_title', title: 'Guessed', by: 'worker', source: 'output' },
        T0 + 2,
      ),
    );
    expect(ignored).toMatchObject({ events: [], ignored: expect.any(String) });
    expect((await store.listRuns()).map((run) => run.title)).toEqual(['Guessed', 'Quarterly report']);

    // An ended run is renamed too; a refused title changes nothing.
    const [task] = await store.claim({ runId: named, limit: 1, now: T0 + 3 });
    expectOk(
      await store.apply(
        named,
        { type: 'succeed', phaseId: 'a', attempt: task!.attempt, output: payload('x') },
        T0 + 4,
      ),
    );
    expectOk(await store.apply(named, { type: 'set_title', title: 'Final report', by: 'bo' }, T0 + 5));
    expect(await store.apply(named, { type: 'set_title', title: 'a\nb', by: 'bo' }, T0 + 6)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await store.getRun(named)).toMatchObject({ status: 'completed', title: 'Final report' });
    expect((await store.listRuns({ status: 'completed' }))[0]).toMatchObject({
      id: named,
      title: 'Final report',
      updatedAt: T0 + 5,
    });
  });

  it('keeps the run’s stage in the state and in the list, as every step moves it', async () => {
    const store = await newTenant('stages');
    const wf: WorkflowDefinition = {
      ...workflow('staged', phase('a', { gate: true })),
      stages: [
        { stage: 'drafting', phases: { a: ['ready', 'running'] } },
        { stage: 'a_ready', phases: { a: ['waiting_for_human'] } },
        { stage: 'done', run: ['completed'] },
      ],
    };
    const runId = ctx.newId('staged');
    expect((await createIn(store, runId, wf)).state.stage).toBe('drafting');
    const plain = ctx.newId('unstaged');
    await createIn(store, plain, workflow('plain', phase('a')), T0 + 1);
    const stages = async () => (await store.listRuns()).map((run) => [run.id, run.stage]);
    expect(await stages()).toEqual([
      [plain, undefined],
      [runId, 'drafting'],
    ]);
    expect((await store.listRuns()).find((run) => run.id === plain)).not.toHaveProperty('stage');
    const [task] = await store.claim({ runId, limit: 1, now: T0 + 2 });
    expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: 'a', attempt: task!.attempt, output: payload('x') },
        T0 + 3,
      ),
    );
    expect((await store.getRun(runId))?.stage).toBe('a_ready');
    expect(await stages()).toEqual([
      [plain, undefined],
      [runId, 'a_ready'],
    ]);
    expectOk(
      await store.apply(
        runId,
        { type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'bo' },
        T0 + 4,
      ),
    );
    expect(await stages()).toEqual([
      [plain, undefined],
      [runId, 'done'],
    ]);
  });

  it('deletes a run that is not running with everything of it but its model calls, and refuses one that is', async () => {
    const store = ctx.store();
    const runId = ctx.newId('doomed');
    await createIn(store, runId, workflow('doomed', phase('a'), phase('b')));
    expect(await store.deleteRun(ctx.newId('never'))).toMatchObject({
      ok: false,
      error: { code: 'RUN_NOT_FOUND' },
    });

    // Running: its phases are about to start.
    const queued = await store.deleteRun(runId);
    expect(queued).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(!queued.ok && queued.error.message).toMatch(
      /is running: phases "a", "b" are running or about to start; cancel the run first/,
    );
    // Paused, but an attempt still runs.
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 1 });
    expectOk(
      await store.apply(
        runId,
        { type: 'succeed', phaseId: a!.phaseId, attempt: 1, output: payload('kept?') },
        T0 + 2,
      ),
    );
    const [b] = await store.claim({ runId, limit: 1, now: T0 + 3 });
    expectOk(await store.apply(runId, { type: 'pause', by: 'ana' }, T0 + 4));
    const paused = await store.deleteRun(runId);
    expect(paused).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(!paused.ok && paused.error.message).toContain(
      `is paused, but an attempt still runs: phase "${b!.phaseId}" (attempt 1) is running`,
    );
    expect(await store.getRun(runId)).toMatchObject({ status: 'paused' });

    const call: ModelCallRecord = {
      runId,
      phaseId: b!.phaseId,
      attempt: 1,
      agent: 'writer',
      provider: 'openai',
      model: 'gpt-a',
      inputTokens: 100,
      outputTokens: 10,
      cachedTokens: 0,
      costUsd: 0.75,
      latencyMs: 5,
      status: 'ok',
      at: T0 + 5,
    };
    await store.recordModelCall(call);
    expectOk(await store.apply(runId, { type: 'cancel', by: 'ana' }, T0 + 6));
    expect(await store.deleteRun(runId)).toEqual({ ok: true });

    expect(await store.getRun(runId)).toBeUndefined();
    expect(await store.listEvents(runId)).toEqual([]);
    expect((await store.listRuns()).map((run) => run.id)).not.toContain(runId);
    expect(await store.getArtifact(runId, a!.phaseId, 1)).toBeUndefined();
    expect(await store.getArtifacts(runId, [{ phaseId: a!.phaseId, version: 1 }])).toEqual([undefined]);
    expect(await store.runningTasks({ runId })).toEqual([]);
    expect(await store.nextWakeup({ runId })).toBeUndefined();
    expect(await store.apply(runId, { type: 'resume', by: 'ana' }, T0 + 7)).toMatchObject({
      ok: false,
      error: { code: 'RUN_NOT_FOUND' },
    });
    expect(await store.deleteRun(runId)).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
    // The ledger keeps what was spent.
    expect(await store.listModelCalls(runId)).toEqual([call]);
    expect((await store.modelUsage(runId)).total).toMatchObject({ calls: 1, costUsd: 0.75 });
    const late = await store.recordModelCall({ ...call, at: T0 + 8 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isBatonError(late, 'RUN_NOT_FOUND')).toBe(true);
  });

  it('deletes ended and waiting runs', async () => {
    const store = ctx.store();
    const done = ctx.newId('done');
    await createIn(store, done, workflow('done', phase('a')));
    const [task] = await store.claim({ runId: done, limit: 1, now: T0 + 1 });
    expectOk(
      await store.apply(
        done,
        { type: 'succeed', phaseId: 'a', attempt: task!.attempt, output: payload('x') },
        T0 + 2,
      ),
    );
    expect(await store.deleteRun(done)).toEqual({ ok: true });

    const waiting = ctx.newId('waiting');
    await createIn(store, waiting, workflow('waiting', phase('a', { gate: true })));
    const [gated] = await store.claim({ runId: waiting, limit: 1, now: T0 + 1 });
    const state = expectOk(
      await store.apply(
        waiting,
        { type: 'succeed', phaseId: 'a', attempt: gated!.attempt, output: payload('x') },
        T0 + 2,
      ),
    ).state;
    expect(state.status).toBe('waiting');
    expect(await store.deleteRun(waiting)).toEqual({ ok: true });
    expect(await store.getRun(waiting)).toBeUndefined();
    expect(await store.getRun(done)).toBeUndefined();
  });

  it('tells when each running task last showed life: its claim, then its latest renewed heartbeat', async () => {
    const store = ctx.store();
    const runId = ctx.newId('alive');
    await createIn(store, runId, workflow('alive', phase('a'), phase('b')));
    const [a] = await store.claim({ runId, limit: 1, now: T0 + 10 });
    const [b] = await store.claim({ runId, limit: 1, now: T0 + 20 });
    const at = async () =>
      Object.fromEntries(
        (await store.runningTasks({ runId })).map((task) => [task.phaseId, task.heartbeatAt]),
      );
    expect(await at()).toEqual({ [a!.phaseId]: T0 + 10, [b!.phaseId]: T0 + 20 });
    expect(a).toMatchObject({ tenantId: expect.any(String) });

    await store.heartbeat(
      [{ task: { runId, phaseId: a!.phaseId, attempt: 1 }, token: a!.lease.token }],
      T0 + 500,
    );
    // A heartbeat under a lease not held renews nothing.
    await store.heartbeat(
      [{ task: { runId, phaseId: b!.phaseId, attempt: 1 }, token: 'not-mine' }],
      T0 + 600,
    );
    expect(await at()).toEqual({ [a!.phaseId]: T0 + 500, [b!.phaseId]: T0 + 20 });
  });
}
