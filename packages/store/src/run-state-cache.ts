import { BatonError, foldEvents, type RunState } from '@baton/engine';
import type { Queryable } from './db.js';
import { selectEvents } from './sql/select-events.js';

/**
 * The latest folded state of each run this store has seen, so that a transition reads only the
 * events appended since (by another process, or never when this process wrote them) instead of
 * refolding the whole log.
 *
 * Only committed states go in: callers {@link RunStateCache.remember} a state after its
 * transaction committed, and a state loaded from the database is committed by definition.
 */
export class RunStateCache {
  private readonly states = new Map<string, RunState>();

  /**
   * The run's state at `lastSeq` (read from its row): the cached state when current, else the
   * cached state with the newer events folded in (or the whole log when nothing is cached).
   */
  async load(db: Queryable, runId: string, lastSeq: number): Promise<RunState> {
    let cached = this.states.get(runId);
    if (cached !== undefined && cached.seq === lastSeq) return cached;
    // A cache ahead of the database means the database was replaced under us: start over.
    if (cached !== undefined && cached.seq > lastSeq) cached = undefined;
    const events = await selectEvents(db, runId, cached?.seq ?? 0, lastSeq);
    if (events.length === 0 || events.at(-1)?.seq !== lastSeq) {
      throw new BatonError(
        'INTERNAL',
        `run ${runId}: its row says the log ends at ${lastSeq} but the events end at ${events.at(-1)?.seq ?? cached?.seq ?? 0}`,
        { context: { runId, lastSeq } },
      );
    }
    const state = foldEvents(cached, events);
    this.remember(state);
    return state;
  }

  /** The cached state of a run (committed, but maybe older than the database's), if any. */
  peek(runId: string): RunState | undefined {
    return this.states.get(runId);
  }

  /** Keeps a committed state unless a newer one of the run is cached already. */
  remember(state: RunState): void {
    const cached = this.states.get(state.runId);
    if (cached === undefined || cached.seq < state.seq) this.states.set(state.runId, state);
  }

  /** Drops a run (it no longer exists). */
  forget(runId: string): void {
    this.states.delete(runId);
  }

  clear(): void {
    this.states.clear();
  }
}
