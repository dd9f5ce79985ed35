/**
 * A run for the store's tests: a workflow with a gated agent phase, a tool after it, a map and a
 * reviewer, its first events (the gate waits), the engine's fold of them and a server view.
 */
import type { RunSnapshot } from '@baton/client';
import { foldEvents, type RunEvent, type RunEventBody, type RunState } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import type { LiveRun } from './live-run.js';

export const RUN_ID = 'run-1';
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export const WORKFLOW = testWorkflow(
  'gated',
  testPhase('spec', { kind: 'agent', gate: true }),
  testPhase('check', { kind: 'agent', needs: ['spec'] }),
  testPhase('plan', { needs: ['spec'] }),
  testPhase('items', { needs: ['plan'] }),
  testPhase('each', {
    needs: ['items'],
    map: { over: 'items', concurrency: 2, form: 'phase', phases: [testPhase('each')], collect: 'each' },
  }),
);

export const ARTIFACT = { attempt: 1, version: 1, mediaType: 'application/json', size: 2, sha256: 'ab' };

/** Numbers bodies from `seq` on, a second apart. */
export function numbered(bodies: readonly RunEventBody[], from: number): RunEvent[] {
  return bodies.map((body, index) => ({ ...body, seq: from + index, at: T0 + (from + index) * 1000 }));
}

/** The run's first events: created, then `spec` drafted once and waiting at its gate. */
export const BASE_LOG: readonly RunEvent[] = numbered(
  [
    { type: 'run_created', runId: RUN_ID, workflow: WORKFLOW, fixtures: {}, inputs: {}, by: 'ana' },
    { type: 'phase_ready', phaseId: 'spec', attempt: 1 },
    { type: 'phase_started', phaseId: 'spec', attempt: 1 },
    { type: 'phase_output', phaseId: 'spec', attempt: 1, artifact: ARTIFACT, source: 'attempt' },
    { type: 'waiting_for_human', phaseId: 'spec', attempt: 1, reason: 'gate', source: 'gate', version: 1 },
  ],
  1,
);

/** The server's view of a folded state (what `GET /api/runs/:id` answers, trimmed to what the UI reads). */
export function viewOf(state: RunState): RunSnapshot {
  return {
    id: state.runId,
    workflow: state.workflow.id,
    status: state.status,
    stage: null,
    usage: { calls: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 },
    phases: state.order.map((id) => ({
      id,
      status: state.phases[id]!.status,
      attempts: state.phases[id]!.attempts.length,
      output: null,
      versions: [],
    })),
    inputs: {},
    createdBy: state.createdBy,
    createdAt: new Date(state.createdAt).toISOString(),
    updatedAt: new Date(state.updatedAt).toISOString(),
    pendingDecisions: state.order
      .filter((id) => state.phases[id]!.status === 'waiting_for_human')
      .map((phaseId) => ({
        phaseId,
        source: 'gate',
        reason: 'gate',
        since: new Date(state.updatedAt).toISOString(),
        decisions: ['approve', 'reject', 'request_changes', 'edit'],
      })),
    lastEventId: String(state.seq),
  };
}

/** The run folded from `log`, with the view at the same seq. */
export function liveRunOf(log: readonly RunEvent[]): LiveRun {
  const state = foldEvents(undefined, log);
  return { state, view: viewOf(state), activity: {} };
}
