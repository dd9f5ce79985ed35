import { describe, expect, it } from 'vitest';
import type { ArtifactVersionRef, RunStore, ScopedRunStore } from '@baton/engine';
import {
  createInMemoryRunStore,
  testJsonPayload,
  testPayload,
  testPhase,
  testWorkflow,
} from '@baton/engine/testing';
import type { RunView } from '../schemas/run.js';
import { createRunViewCache } from './run-view-cache.js';

const workflow = testWorkflow('wf', testPhase('a'), testPhase('b', { needs: ['a'] }));
const A1 = { phaseId: 'a', version: 1 };
const B1 = { phaseId: 'b', version: 1 };

/** Creates run `runId` in `store` at `now`; completes phase `a`, and `b` too unless told not to. */
async function completedRun(store: RunStore, runId: string, now: number, phases = ['a', 'b']) {
  await store.createRun({ type: 'create', runId, workflow, fixtures: {}, inputs: {}, by: 'ana' }, now);
  const outputs: Record<string, ReturnType<typeof testPayload>> = {
    a: testPayload(`alpha of ${runId}`),
    b: testJsonPayload({ run: runId }),
  };
  for (const [i, phaseId] of phases.entries()) {
    const [task] = await store.claim({ runId, limit: 1, now: now + 2 * i + 1 });
    await store.apply(
      runId,
      { type: 'succeed', phaseId, attempt: 1, output: outputs[phaseId]! },
      now + 2 * i + 2,
      {
        leaseToken: task!.lease.token,
      },
    );
  }
  return (await store.getRun(runId))!;
}

/** The store's `getArtifacts`, recording which refs each call asked for. */
function counting(store: Pick<RunStore, 'getArtifacts'>) {
  const asked: (readonly ArtifactVersionRef[])[] = [];
  return {
    asked,
    getArtifacts(runId: string, refs: readonly ArtifactVersionRef[]) {
      asked.push(refs);
      return store.getArtifacts(runId, refs);
    },
  };
}

async function tenants(): Promise<{ store: ScopedRunStore; acme: RunStore; bolt: RunStore }> {
  const store = createInMemoryRunStore();
  await store.ensureTenant({ id: 'acme', name: 'Acme' }, 0);
  await store.ensureTenant({ id: 'bolt', name: 'Bolt' }, 0);
  return { store, acme: store.forTenant('acme'), bolt: store.forTenant('bolt') };
}

describe('createRunViewCache: outputs', () => {
  it('reads an output version once: showing the run again reads only versions not shown before', async () => {
    const { acme } = await tenants();
    const state = await completedRun(acme, 'r', 1_000);
    const reads = counting(acme);
    const read = createRunViewCache().outputs('acme', reads);

    expect(await read(state, [A1, B1])).toEqual(['alpha of r', { run: 'r' }]);
    expect(await read(state, [B1, A1])).toEqual([{ run: 'r' }, 'alpha of r']);
    expect(await read(state, [A1, { phaseId: 'a', version: 2 }])).toEqual(['alpha of r', undefined]);
    expect(reads.asked).toEqual([[A1, B1], [{ phaseId: 'a', version: 2 }]]);
  });

  it('asks again for a version that was not stored yet, and keeps it once it is', async () => {
    const { acme } = await tenants();
    const running = await completedRun(acme, 'r', 1_000, ['a']);
    const reads = counting(acme);
    const read = createRunViewCache().outputs('acme', reads);
    expect(await read(running, [A1, B1])).toEqual(['alpha of r', undefined]);

    const [task] = await acme.claim({ runId: 'r', limit: 1, now: 1_010 });
    await acme.apply(
      'r',
      { type: 'succeed', phaseId: 'b', attempt: 1, output: testJsonPayload({ late: 1 }) },
      1_011,
      {
        leaseToken: task!.lease.token,
      },
    );
    const done = (await acme.getRun('r'))!;
    expect(await read(done, [A1, B1])).toEqual(['alpha of r', { late: 1 }]);
    expect(await read(done, [A1, B1])).toEqual(['alpha of r', { late: 1 }]);
    expect(reads.asked).toEqual([[A1, B1], [B1]]);
  });

  it("never answers a tenant with another tenant's outputs", async () => {
    const { acme, bolt } = await tenants();
    const state = await completedRun(acme, 'r', 1_000);
    const cache = createRunViewCache();
    expect(await cache.outputs('acme', acme)(state, [A1])).toEqual(['alpha of r']);
    // Bolt's view of the store does not see acme's run: nothing kept for acme reaches bolt.
    expect(await cache.outputs('bolt', bolt)(state, [A1])).toEqual([undefined]);
  });

  it('reads a run deleted and made again under the same id afresh', async () => {
    const { acme } = await tenants();
    const first = await completedRun(acme, 'r', 1_000);
    const reads = counting(acme);
    const read = createRunViewCache().outputs('acme', reads);
    expect(await read(first, [A1])).toEqual(['alpha of r']);
    expect(await acme.deleteRun('r')).toEqual({ ok: true });
    const again = await completedRun(acme, 'r', 5_000);
    // The same id and version, another run: its own output, read from the store.
    expect(await read(again, [A1])).toEqual(['alpha of r']);
    expect(reads.asked).toEqual([[A1], [A1]]);
  });

  it('keeps at most maxRuns runs, the least recently shown dropped first', async () => {
    const { acme } = await tenants();
    const [r1, r2, r3] = [
      await completedRun(acme, 'r1', 1_000),
      await completedRun(acme, 'r2', 2_000),
      await completedRun(acme, 'r3', 3_000),
    ];
    const reads = counting(acme);
    const read = createRunViewCache({ maxRuns: 2 }).outputs('acme', reads);
    for (const state of [r1, r2, r1, r3, r1, r2]) await read(state, [A1]);
    // r3 came when r1 had been shown after r2: r2 was dropped, and read again at the end.
    expect(reads.asked.map((refs) => refs.length)).toEqual([1, 1, 1, 1]);
  });

  it('keeps at most maxBytes of output, and no output larger than a quarter of it', async () => {
    const { acme } = await tenants();
    const runs = [];
    for (let i = 1; i <= 5; i += 1) runs.push(await completedRun(acme, `r${i}`, i * 1_000));
    const reads = counting(acme);
    // Each `a` output is 11 bytes ('alpha of r1'): four fit; `b`'s 12 bytes are over a quarter.
    const read = createRunViewCache({ maxBytes: 44 }).outputs('acme', reads);
    for (const state of runs) await read(state, [A1]);
    expect(reads.asked.length).toBe(5);
    await read(runs[4]!, [A1]);
    await read(runs[1]!, [A1]);
    expect(reads.asked.length).toBe(5);
    await read(runs[0]!, [A1]);
    expect(reads.asked.length).toBe(6);
    await read(runs[4]!, [B1]);
    await read(runs[4]!, [B1]);
    expect(reads.asked.length).toBe(8);
  });
});

describe('createRunViewCache: views', () => {
  /** A build that counts its calls and answers a distinct (fake) view each time. */
  function builds() {
    let made = 0;
    return {
      get made() {
        return made;
      },
      build: () => Promise.resolve({ id: `view ${++made}` } as unknown as RunView),
    };
  }

  it('answers the kept view only for the same state, usage and activity', async () => {
    const { acme } = await tenants();
    const state = await completedRun(acme, 'r', 1_000, ['a']);
    const cache = createRunViewCache();
    const counter = builds();
    const usage = await acme.modelUsage('r');
    const view = (s = state, u = usage, activity?: Map<string, number>) =>
      cache.view('acme', s, u, activity, counter.build);

    const first = await view();
    expect(await view()).toBe(first);
    expect(counter.made).toBe(1);

    // A model call recorded: the same state, another usage.
    await acme.recordModelCall({
      runId: 'r',
      phaseId: 'b',
      attempt: 1,
      agent: 'writer',
      provider: 'openai',
      model: 'gpt-a',
      inputTokens: 10,
      outputTokens: 1,
      cachedTokens: 0,
      costUsd: 0.01,
      latencyMs: 5,
      status: 'ok',
      at: 1_005,
    });
    const more = await acme.modelUsage('r');
    const second = await view(state, more);
    expect(second).not.toBe(first);
    expect(await view(state, more)).toBe(second);

    // A running attempt showed activity.
    const third = await view(state, more, new Map([['b', 1_006]]));
    expect(await view(state, more, new Map([['b', 1_006]]))).toBe(third);
    expect(await view(state, more, new Map([['b', 1_007]]))).not.toBe(third);

    // The run moved on.
    await acme.apply('r', { type: 'set_title', title: 'renamed', by: 'ana', source: 'person' }, 1_008);
    const moved = (await acme.getRun('r'))!;
    const fourth = await view(moved, more);
    expect(await view(moved, more)).toBe(fourth);
    expect(counter.made).toBe(5);
  });

  it("never answers a tenant with another tenant's view, nor another run's made under the same id", async () => {
    const { store, acme } = await tenants();
    const state = await completedRun(acme, 'r', 1_000);
    const cache = createRunViewCache();
    const counter = builds();
    const usage = await acme.modelUsage('r');
    const mine = await cache.view('acme', state, usage, undefined, counter.build);
    expect(await cache.view('bolt', state, usage, undefined, counter.build)).not.toBe(mine);

    expect(await acme.deleteRun('r')).toEqual({ ok: true });
    const again = await completedRun(acme, 'r', 2_000);
    expect(again.seq).toBe(state.seq);
    expect(await cache.view('acme', again, usage, undefined, counter.build)).not.toBe(mine);
    expect(counter.made).toBe(3);
    await store.close();
  });
});
