/**
 * Scale of definitions: how long a 10,000-phase workflow takes to parse, validate and schedule
 * (the pure engine), and to be created as a run in a store (one transaction).
 */
import { randomBytes } from 'node:crypto';
import {
  MAX_PHASES,
  parseWorkflow,
  step,
  topologicalOrder,
  validateWorkflow,
  type RunInput,
} from '@baton/engine';
import { systemClock } from '@baton/runtime';
import { WARMUP, type Backend } from './backends.js';
import type { CommitTally } from './commit-tally.js';
import { toYaml, type Workload } from './workloads.js';

export interface EngineDagTimes {
  /** `parseWorkflow` of the YAML text (parse + validate + normalise). */
  readonly parseYamlMs: number;
  /** `parseWorkflow` of the same workflow as JSON text. */
  readonly parseJsonMs: number;
  /** `validateWorkflow` of the already parsed object. */
  readonly validateMs: number;
  /** `step(undefined, create)`: the scheduler makes the roots ready and enqueues them. */
  readonly scheduleMs: number;
  /** Commands the create step emitted (one `enqueue` per root). */
  readonly enqueued: number;
}

/** Times the engine's part once (the caller repeats and takes medians). */
export function timeEngineDag(workload: Workload): EngineDagTimes {
  const yaml = toYaml(workload.raw);
  const json = JSON.stringify(workload.raw);
  const parseYamlMs = time(() => expectOk(parseWorkflow(yaml, { fileName: 'dag.yaml' })));
  const parseJsonMs = time(() => expectOk(parseWorkflow(json, { fileName: 'dag.json' })));
  const validateMs = time(() => expectOk(validateWorkflow(workload.raw)));
  let enqueued = 0;
  const scheduleMs = time(() => {
    const result = step(undefined, createInput(workload), systemClock.now());
    if (!result.ok) throw new Error(`the create step was refused: ${result.error.message}`);
    enqueued = result.commands.filter((c) => c.type === 'enqueue').length;
  });
  return { parseYamlMs, parseJsonMs, validateMs, scheduleMs, enqueued };
}

/** The definition helpers' edge cases at 10,000 phases (the unit tests count their work). */
export interface EngineEdgeTimes {
  /** `topologicalOrder` of a 10,000-phase chain defined backwards (last phase first). */
  readonly topologicalOrderMs: number;
  /** `validateWorkflow` refusing 10,001 phases (one problem, no phase checked). */
  readonly tooManyPhasesMs: number;
  /** `validateWorkflow` of a 10,000-phase chain whose every need is misspelt (did-you-mean hints). */
  readonly misspeltNeedsMs: number;
}

/** Times the edge cases once (the caller repeats and takes medians). */
export function timeEngineEdges(): EngineEdgeTimes {
  const n = MAX_PHASES;
  const backwards = Array.from({ length: n }, (_, i) => ({
    id: `p${n - 1 - i}`,
    needs: i === n - 1 ? [] : [`p${n - 2 - i}`],
  }));
  const topologicalOrderMs = time(() => {
    if (topologicalOrder(backwards).length !== n) throw new Error('the chain was not fully ordered');
  });
  const tooMany = {
    id: 'too-many',
    phases: Array.from({ length: n + 1 }, (_, i) => ({ id: `p${i}`, kind: 'tool', run: 'true' })),
  };
  const tooManyPhasesMs = time(() => expectProblems(validateWorkflow(tooMany)));
  const misspelt = {
    id: 'misspelt',
    phases: Array.from({ length: n }, (_, i) => ({
      id: `phase-${i}`,
      kind: 'tool',
      run: 'true',
      needs: i === 0 ? [] : [`phase-${i - 1}x`],
    })),
  };
  const misspeltNeedsMs = time(() => expectProblems(validateWorkflow(misspelt)));
  return { topologicalOrderMs, tooManyPhasesMs, misspeltNeedsMs };
}

export interface StoreDagTimes {
  readonly createRunMs: number;
  readonly clientCommits: number;
  readonly serverCommits: number | undefined;
}

/** Times `createRun` of the workflow in `backend`'s store. */
export async function timeCreateRun(
  backend: Backend,
  workload: Workload,
  tally: CommitTally,
): Promise<StoreDagTimes> {
  tally.reset();
  const session = await backend.session(tally, 0);
  let createRunMs: number;
  try {
    const started = performance.now();
    const created = await session.store.createRun(createInput(workload), systemClock.now());
    createRunMs = performance.now() - started;
    if (!created.ok) throw new Error(`creating the DAG run was refused: ${created.error.message}`);
  } catch (error) {
    await session.finish().catch(() => undefined);
    throw error;
  }
  const serverCommits = await session.finish();
  return { createRunMs, clientCommits: tally.commits([WARMUP]), serverCommits };
}

function createInput(workload: Workload): Extract<RunInput, { type: 'create' }> {
  return {
    type: 'create',
    runId: `${workload.name}-${randomBytes(4).toString('hex')}`,
    workflow: workload.workflow,
    fixtures: workload.fixtures,
    inputs: {},
    by: 'bench',
  };
}

function expectOk(result: { readonly ok: boolean }): void {
  if (!result.ok) throw new Error('the generated DAG did not validate');
}

function expectProblems(result: { readonly ok: boolean }): void {
  if (result.ok) throw new Error('the broken workflow validated');
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}
