import type { Command, QueuedTask, RunState } from '@baton/engine';

/**
 * The due tasks of a run whose state is current, oldest first, at most `limit`: its ready phases
 * (each has a queued task) whose retry delay has passed. The tasks `commands` just queued carry
 * their `runAt`; older ones are due since the phase's last change (or its retry time).
 *
 * Pure: it reads only the state, so the one-statement path can decide its claims without the queue
 * (`one-statement.ts`); the statement's guard checks that the state was still current.
 */
export function dueTasks(
  state: RunState,
  commands: readonly Command[],
  now: number,
  limit: number,
): Omit<QueuedTask, 'runId' | 'tenantId'>[] {
  if (limit <= 0) return [];
  const queuedNow = new Map<string, number>();
  for (const command of commands)
    if (command.type === 'enqueue') queuedNow.set(command.phaseId, command.runAt);
  const due: (Omit<QueuedTask, 'runId' | 'tenantId'> & { order: number })[] = [];
  let order = 0;
  for (const id in state.phases) {
    const phase = state.phases[id]!;
    if (phase.status !== 'ready') continue;
    const kind = state.definitions[phase.id]?.kind;
    if (kind === undefined || kind === 'human') continue;
    const runAt = queuedNow.get(phase.id) ?? phase.notBefore ?? phase.updatedAt;
    if (runAt > now) continue;
    due.push({ phaseId: phase.id, attempt: phase.attempt, kind, runAt, order: order++ });
  }
  due.sort((a, b) => a.runAt - b.runAt || a.order - b.order);
  return due.slice(0, limit).map(({ order: _order, ...task }) => task);
}
