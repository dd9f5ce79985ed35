import { describe, expect, it } from 'vitest';
import type { RunInput, RunState, ScopedRunStore } from '@baton/engine';
import { createInMemoryRunStore, testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import { movedOn, waitsOf, watchWaits } from './wait-watch.js';

/** A run whose two human phases wait for a person at once. */
async function waitingRun(): Promise<{ store: ScopedRunStore; state: RunState }> {
  const store = createInMemoryRunStore();
  const created = await store.createRun(
    {
      type: 'create',
      runId: 'r1',
      workflow: testWorkflow(
        'w',
        testPhase('first', { kind: 'human' }),
        testPhase('second', { kind: 'human' }),
      ),
      inputs: {},
      by: 'test',
    } as Extract<RunInput, { type: 'create' }>,
    1,
  );
  if (!created.ok) throw new Error(created.error.message);
  return { store, state: created.state };
}

const submit = (phaseId: string): RunInput => ({
  type: 'decide',
  phaseId,
  decision: { kind: 'submit', output: testPayload('done') },
  by: 'elsewhere',
});

describe('the watch on a run the terminal is asked about', () => {
  it('stays quiet through changes that leave the waits as they were (a title)', async () => {
    const { store, state } = await waitingRun();
    const watch = await watchWaits(store, state);
    try {
      await store.apply('r1', { type: 'set_title', title: 'Named', by: 'x', source: 'person' }, 2);
      expect(await movedOn(store, state)).toBe(false);
      expect(watch.signal.aborted).toBe(false);
    } finally {
      await watch.stop();
    }
  });

  it('aborts once another command answers one of the waits through the socket, even while another still waits', async () => {
    const { store, state } = await waitingRun();
    // The socket tells of what it recorded (nothing was queued, the run still waits: no wake-up).
    const recorded = new Set<() => void>();
    const watch = await watchWaits(store, state, (wake) => {
      recorded.add(wake);
      return () => recorded.delete(wake);
    });
    try {
      const aborted = new Promise((resolve) => watch.signal.addEventListener('abort', resolve));
      expect((await store.apply('r1', submit('first'), 2)).ok).toBe(true);
      for (const wake of recorded) wake();
      await aborted;
      expect(watch.signal.aborted).toBe(true);
    } finally {
      await watch.stop();
    }
    expect(recorded.size).toBe(0);
  });

  it('aborts once the run is paused or cancelled elsewhere', async () => {
    for (const input of [
      { type: 'pause', by: 'x' },
      { type: 'cancel', by: 'x' },
    ] as RunInput[]) {
      const { store, state } = await waitingRun();
      const watch = await watchWaits(store, state);
      try {
        const aborted = new Promise((resolve) => watch.signal.addEventListener('abort', resolve));
        expect((await store.apply('r1', input, 2)).ok).toBe(true);
        await aborted;
        expect(waitsOf((await store.getRun('r1'))!)).not.toBe(waitsOf(state));
      } finally {
        await watch.stop();
      }
    }
  });

  it('aborts at once when the run moved on before the watch began', async () => {
    const { store, state } = await waitingRun();
    await store.apply('r1', submit('second'), 2);
    const watch = await watchWaits(store, state);
    expect(watch.signal.aborted).toBe(true);
    await watch.stop();
  });
});
