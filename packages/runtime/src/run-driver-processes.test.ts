import type { PhaseHandler, RunEvent, RunStore, TaskKey } from '@baton/engine';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import { StopOutcome, type AttemptProcesses } from './attempt-processes.js';
import { createOutputPayload } from './output-payload.js';
import { createHandlerRegistry } from './phase-handlers.js';
import { RunDriver } from './run-driver.js';

/** A tool handler that succeeds at once. */
const instant: PhaseHandler = {
  kind: 'tool',
  execute: () => Promise.resolve({ ok: true, output: createOutputPayload('done') }),
};

/** Process records that only note which attempts were stopped, and what the log held then. */
function recordingProcesses(store: RunStore) {
  const stopped: { task: TaskKey; eventsBefore: RunEvent['type'][] }[] = [];
  const processes: AttemptProcesses = {
    started: () => undefined,
    ended: () => Promise.resolve(),
    async stopAbandoned(task) {
      const events = await store.listEvents(task.runId);
      stopped.push({ task, eventsBefore: events.map((e) => e.type) });
      return StopOutcome.stopped;
    },
  };
  return { processes, stopped };
}

/** A store holding run `r1` of one phase `a`, created at 1,000. */
async function storeWithRun(): Promise<RunStore> {
  const store = createInMemoryRunStore();
  const created = await store.createRun(
    {
      type: 'create',
      runId: 'r1',
      workflow: testWorkflow('w', testPhase('a')),
      fixtures: {},
      inputs: {},
      by: 'test',
    },
    1_000,
  );
  expect(created.ok).toBe(true);
  return store;
}

async function runWithDeadClaim(leaseMs: number): Promise<RunStore> {
  const store = await storeWithRun();
  // A process claimed attempt 1 and died.
  expect(await store.claim({ runId: 'r1', limit: 1, now: 1_000, leaseMs })).toHaveLength(1);
  return store;
}

describe('RunDriver with attempt processes', () => {
  it('stops an orphaned attempt before recording it as lost (recoverOrphans)', async () => {
    const store = await runWithDeadClaim(60_000);
    const { processes, stopped } = recordingProcesses(store);
    const driver = new RunDriver({
      store,
      handlers: createHandlerRegistry([instant]),
      clock: { now: () => 2_000 },
      processes,
    });
    const { state } = await driver.drive('r1', { recoverOrphans: true });
    expect(state.status).toBe('completed');
    expect(stopped.map((s) => s.task)).toEqual([{ runId: 'r1', phaseId: 'a', attempt: 1 }]);
    expect(stopped[0]!.eventsBefore).not.toContain('phase_failed');
  });

  it('stops an attempt recovered because its lease expired, then runs a new attempt', async () => {
    const store = await runWithDeadClaim(1_000);
    const { processes, stopped } = recordingProcesses(store);
    const driver = new RunDriver({
      store,
      handlers: createHandlerRegistry([instant]),
      clock: { now: () => 5_000 },
      processes,
    });
    const { state } = await driver.drive('r1');
    expect(state.status).toBe('completed');
    expect(state.phases.a?.attempts.map((a) => a.status)).toEqual(['abandoned', 'succeeded']);
    expect(stopped.map((s) => s.task)).toEqual([{ runId: 'r1', phaseId: 'a', attempt: 1 }]);
  });

  it('stops nothing when no attempt was lost', async () => {
    const store = await storeWithRun();
    const { processes, stopped } = recordingProcesses(store);
    const driver = new RunDriver({
      store,
      handlers: createHandlerRegistry([instant]),
      clock: { now: () => 1_000 },
      processes,
    });
    expect((await driver.drive('r1', { recoverOrphans: true })).state.status).toBe('completed');
    expect(stopped).toEqual([]);
  });
});
