import { BatonError, type Command, type PhaseState, type RunEvent, type RunState } from '@baton/engine';
import type { Queryable } from './db.js';
import { deleteQueuedTasks } from './sql/delete-queued-tasks.js';
import { finishTask } from './sql/finish-task.js';
import { insertBlobs } from './sql/insert-blobs.js';
import { insertArtifact } from './sql/insert-artifact.js';
import { appendStep } from './sql/append-step.js';
import { insertTask } from './sql/insert-task.js';

/** What a step decided: the new state, its events and its commands. */
export interface StepOutcome {
  readonly state: RunState;
  readonly events: readonly RunEvent[];
  readonly commands: readonly Command[];
}

/**
 * Writes one step's outcome inside the caller's transaction, which holds the run's lock (or
 * created its row): appends the events, moves the `runs` row (unless `before` is undefined: the
 * caller inserted it), writes the phases that changed, and carries out the transactional commands
 * (`enqueue`, `dequeue`, `store_artifact`; `abort` finishes the attempt's task here, and the
 * runtime that holds it stops it — at once when it made this transition, else at its next
 * heartbeat). Returns how
 * many tasks it queued and whether the run's status moved — what decides whether other workers and
 * watchers must hear of the transaction.
 */
export async function persistTransition(
  tx: Queryable,
  before: RunState | undefined,
  outcome: StepOutcome,
  now: number,
): Promise<{ readonly queued: number; readonly statusChanged: boolean }> {
  const { state } = outcome;
  let queued = 0;
  if (outcome.events.length > 0) {
    // The fold replaces exactly the phase objects an event touched (a map's instances included,
    // also those that left the run when it read its items again).
    const changed: PhaseState[] = [];
    for (const [id, phase] of Object.entries(state.phases)) {
      if (phase !== before?.phases[id]) changed.push(phase);
    }
    if (!(await appendStep(tx, state, outcome.events, changed, before?.seq))) {
      throw new BatonError('INTERNAL', `run ${state.runId} moved past seq ${before?.seq} while locked`);
    }
  }
  for (const command of outcome.commands) {
    switch (command.type) {
      case 'enqueue':
        await insertTask(
          tx,
          {
            runId: state.runId,
            phaseId: command.phaseId,
            attempt: command.attempt,
            kind: command.kind,
            runAt: command.runAt,
          },
          now,
        );
        queued += 1;
        break;
      case 'dequeue':
        await deleteQueuedTasks(tx, state.runId, command.phaseId);
        break;
      case 'store_artifact':
        await insertArtifact(tx, state.runId, command.phaseId, command.artifact, command.payload.text, now);
        if (command.payload.files !== undefined) await insertBlobs(tx, command.payload.files, now);
        break;
      case 'abort':
        // Finish the aborted attempt's task: its holder — in this process or another — learns at
        // its next heartbeat that the lease is gone and stops the attempt.
        await finishTask(tx, state.runId, command.phaseId, command.attempt, now);
        break;
    }
  }
  return { queued, statusChanged: before === undefined || before.status !== state.status };
}
