import type { PhaseHandler, PhaseResult, RunStore } from '@baton/engine';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import { createOutputPayload } from './output-payload.js';
import { createHandlerRegistry } from './phase-handlers.js';
import { RunDriver } from './run-driver.js';
import { systemClock } from './system-clock.js';

/** Polls `probe` until it holds; fails after 10 s of real time. */
async function waitFor(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

async function createRun(store: RunStore, runId: string, phaseId: string): Promise<void> {
  const created = await store.createRun(
    {
      type: 'create',
      runId,
      workflow: testWorkflow(runId, testPhase(phaseId)),
      fixtures: {},
      inputs: {},
      by: 'test',
    },
    systemClock.now(),
  );
  expect(created.ok).toBe(true);
}

describe('RunDriver and a deleted run', () => {
  it('drops the late result of an attempt whose run was cancelled and deleted, and goes on serving', async () => {
    const store = createInMemoryRunStore();
    let release!: (result: PhaseResult) => void;
    const started: string[] = [];
    // `stubborn` answers only when the test releases it, whatever its signal says.
    const handler: PhaseHandler = {
      kind: 'tool',
      execute(task) {
        started.push(task.phaseId);
        if (task.phaseId !== 'stubborn')
          return Promise.resolve({ ok: true, output: createOutputPayload('ok') });
        return new Promise((resolve) => (release = resolve));
      },
    };
    const driver = new RunDriver({ store, handlers: createHandlerRegistry([handler]), clock: systemClock });
    const serving = driver.serve();

    await createRun(store, 'r1', 'stubborn');
    await waitFor(() => started.includes('stubborn'), 'the attempt to start');
    // As the API does: the cancel is recorded on the store, and the driver hears of it.
    const cancelled = await store.apply('r1', { type: 'cancel', by: 'test' }, systemClock.now());
    driver.observe('r1', cancelled);
    expect(await store.deleteRun('r1')).toEqual({ ok: true });
    release({ ok: true, output: createOutputPayload('too late') });

    await createRun(store, 'r2', 'next');
    await waitFor(async () => (await store.getRun('r2'))?.status === 'completed', 'the next run to complete');
    expect(await store.getRun('r1')).toBeUndefined();
    await driver.shutdown(1_000);
    await expect(serving).resolves.toBeUndefined();
  });
});
