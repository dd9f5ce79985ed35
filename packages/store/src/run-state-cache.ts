import { BatonError, foldEvents, type RunState } from '@baton/engine';
import type { Queryable } from './db.js';
import { selectEvents } from './sql/select-events.js';

/** A run's row as the store reads it before folding: how far its log goes, and whose run it is. */
export interface RunRow {
  readonly runId: string;
  readonly lastSeq: number;
  readonly tenantId: string;
}

/**
 * The latest folded state of each run this store has seen, with the run's tenant, so that a
 * transition reads only the events appended since (by another process, or never when this process
 * wrote them) instead of refolding the whole log — and a view scoped to one tenant can tell from
 * memory whether a cached run is its tenant's. One cache serves every view of a store.
 *
 * Only committed states go in: callers {@link RunStateCache.remember} a state after its
 * transaction committed, and a state loaded from the database is committed by definition. A run
 * enters the cache only with its tenant — loaded from its row, or added when created — so a state
 * remembered after the run was forgotten (deleted meanwhile) is not cached again.
 */
export class RunStateCache {
  private readonly runs = new Map<string, { state: RunState; readonly tenantId: string }>();

  /**
   * The run's state at `row.lastSeq`: the cached state when current, else the cached state with
   * the newer events folded in (or the whole log when nothing is cached).
   */
  async load(db: Queryable, row: RunRow): Promise<RunState> {
    const { runId, lastSeq } = row;
    let cached = this.runs.get(runId)?.state;
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
    const entry = this.runs.get(runId);
    if (entry === undefined || entry.tenantId !== row.tenantId || entry.state.seq < state.seq) {
      this.runs.set(runId, { state, tenantId: row.tenantId });
    }
    return state;
  }

  /** Caches a run this store has just created (committed), with its tenant. */
  add(state: RunState, tenantId: string): void {
    this.runs.set(state.runId, { state, tenantId });
  }

  /** The cached state of a run (committed, but maybe older than the database's), if any. */
  peek(runId: string): RunState | undefined {
    return this.runs.get(runId)?.state;
  }

  /** The tenant of a cached run, if it is cached. */
  tenantOf(runId: string): string | undefined {
    return this.runs.get(runId)?.tenantId;
  }

  /** Keeps a committed state of a cached run unless a newer one is cached already. */
  remember(state: RunState): void {
    const entry = this.runs.get(state.runId);
    if (entry !== undefined && entry.state.seq < state.seq) entry.state = state;
  }

  /** Drops a run (it no longer exists, or what is cached may be wrong). */
  forget(runId: string): void {
    this.runs.delete(runId);
  }

  clear(): void {
    this.runs.clear();
  }
}
