/**
 * Baton side: the graph as a workflow of scripted agent phases answering at once, driven by the
 * run driver in this process on a store: the in-memory one, PGlite, or PostgreSQL (a fresh
 * database; commits counted by the server, as `npm run bench` counts them).
 */
import { randomBytes } from 'node:crypto';
import type { RunStore } from '@baton/engine';
import { createInMemoryRunStore } from '@baton/engine/testing';
import { createHandlerRegistry, createScriptedHandler, RunDriver, systemClock } from '@baton/runtime';
import { openPgliteBackend, openPostgresBackend } from '../../packages/bench/src/backends.js';
import { CommitTally } from '../../packages/bench/src/commit-tally.js';
import { createInput } from '../../packages/bench/src/workloads.js';
import { batonWorkload, checkOrder, type Graph } from './graphs.js';
import type { Backend } from './langgraph-runner.js';

/** What one measured Baton run (or batch of runs) gives. */
export interface BatonMeasurement {
  readonly runMs: number;
  /** Completion times of the steps (ms, from the start), in order. */
  readonly completions: readonly number[];
  /** Server-counted commits (PostgreSQL), or undefined. */
  readonly commits?: number;
}

/** Runs `runs` runs of `graph` at once (one for the sequential workloads) and checks each. */
export async function measureBaton(
  backend: Backend,
  graph: Graph,
  runs: number,
  concurrency: number,
  adminUrl?: string,
): Promise<BatonMeasurement> {
  const workload = batonWorkload(graph);
  const tally = new CommitTally();
  let store: RunStore;
  let finish: () => Promise<number | undefined>;
  let dispose: () => Promise<void>;
  if (backend === 'memory') {
    store = createInMemoryRunStore();
    finish = () => Promise.resolve(undefined);
    dispose = () => store.close();
  } else {
    const opened =
      backend === 'embedded' ? await openPgliteBackend(tally) : await openPostgresBackend(adminUrl!);
    const session = await opened.session(tally, concurrency);
    store = session.store;
    finish = () => session.finish();
    dispose = () => opened.dispose();
  }
  try {
    const completions: number[] = [];
    let started = 0;
    const driver = new RunDriver({
      store,
      handlers: createHandlerRegistry([createScriptedHandler()]),
      clock: systemClock,
      concurrency,
      onTransition: (transition) => {
        const now = performance.now() - started;
        for (const event of transition.events) if (event.type === 'phase_completed') completions.push(now);
      },
    });
    const ids = Array.from(
      { length: runs },
      (_, i) => `${graph.name}-${i}-${randomBytes(3).toString('hex')}`,
    );
    started = performance.now();
    if (runs === 1) {
      const created = await store.createRun(createInput(workload, ids[0]!), systemClock.now());
      if (!created.ok) throw new Error(created.error.message);
      await driver.drive(ids[0]!);
    } else {
      const serving = driver.serve();
      await Promise.all(
        ids.map(async (id) => {
          const created = await store.createRun(createInput(workload, id), systemClock.now());
          if (!created.ok) throw new Error(created.error.message);
        }),
      );
      await waitUntil(() => completions.length >= runs * graph.nodes.length);
      await driver.shutdown(1_000);
      await serving;
    }
    const runMs = performance.now() - started;
    for (const id of ids) {
      const state = await store.getRun(id);
      if (state?.status !== 'completed')
        throw new Error(`baton: run ${id} ended ${state?.status ?? 'missing'}`);
      const order = (await store.listEvents(id)).flatMap((e) =>
        e.type === 'phase_completed' ? [e.phaseId] : [],
      );
      checkOrder(graph, order, 'baton');
    }
    const commits = await finish();
    return { runMs, completions, ...(commits === undefined ? {} : { commits }) };
  } finally {
    await dispose();
  }
}

async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
}
