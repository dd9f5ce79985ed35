/**
 * A run's stage: the label of the last entry of its workflow's `stages:` that holds now (see
 * `StageDefinition`). Pure and cheap — O(the phases the entries name) — so the fold keeps it on
 * the state after every batch of events (`finishDraft`), and every view reads it from there.
 */
import type { RunState, StageDefinition } from '../types.js';

/** What deciding a stage reads of a run. */
export type StagedRun = Pick<RunState, 'workflow' | 'status' | 'phases'>;

/**
 * The run's stage: the label of the **last** entry of `stages:` that holds — the run's status is
 * in its `run` (when given) and at least one of its `phases` is in one of the statuses given for
 * it (when given). `null` when none holds or the workflow names no stages.
 */
export function runStage(run: StagedRun): string | null {
  const stages = run.workflow.stages;
  if (stages === undefined) return null;
  for (let i = stages.length - 1; i >= 0; i--) {
    if (holds(stages[i]!, run)) return stages[i]!.stage;
  }
  return null;
}

function holds(entry: StageDefinition, run: StagedRun): boolean {
  if (entry.run !== undefined && !entry.run.includes(run.status)) return false;
  if (entry.phases === undefined) return true;
  for (const id in entry.phases) {
    const status = run.phases[id]?.status;
    if (status !== undefined && entry.phases[id]!.includes(status)) return true;
  }
  return false;
}
