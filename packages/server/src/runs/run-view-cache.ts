/**
 * What this server keeps of the runs it showed last, so that showing a run again does not build
 * its view again — a 100-phase run's view reads and decodes 100 outputs and makes some 1,500
 * objects. Per run (and tenant) it keeps:
 *
 * - the decoded outputs it showed: a run that moved reads only the outputs it did not show before;
 * - the last view built, with what it was built from: the run's state (its last event's number),
 *   its usage and its running attempts' activity. The same three give the same view.
 *
 * Why it is never stale, on one server or on several sharing PostgreSQL: every request reads the
 * run's state, usage and activity from the database first (the state scoped to the principal's
 * tenant), and only a view built from exactly those is answered. A run's log is append-only, so
 * one last-event number is one state; the ledger of model calls is insert-only, so one number of
 * calls is one usage. A stored version of an output never changes — `(run, phase, version)` is
 * written once, with the step that made it — and which versions a view shows comes from the
 * state. A run deleted and made again under the same id is another run: an entry is used only for
 * the run created at the time it was kept (`createdAt`). Entries are per tenant: a tenant's request
 * never finds another tenant's. A version not stored (yet) is not kept, so it is asked for again.
 *
 * Bounded: at most {@link RunViewCacheOptions.maxRuns} runs and
 * {@link RunViewCacheOptions.maxBytes} of outputs (counted by stored size), the least recently
 * shown runs dropped first; an output larger than a quarter of it is not kept.
 */
import type { ArtifactVersionRef, JsonValue, RunState, RunStore, RunUsage } from '@baton/engine';
import { decodeOutput, type OutputReader } from '@baton/runtime';
import type { RunView } from '../schemas/run.js';
import type { PhaseActivity } from './run-view.js';

export interface RunViewCacheOptions {
  /** Outputs kept at most, in stored bytes (default 32 MiB). */
  readonly maxBytes?: number;
  /** Runs kept at most (default 1,000). */
  readonly maxRuns?: number;
}

export interface RunViewCache {
  /** An {@link OutputReader} of the tenant's outputs: kept ones from memory, others from `store`. */
  outputs(tenantId: string, store: Pick<RunStore, 'getArtifacts'>): OutputReader;
  /**
   * The view of `state` with `usage` and `activity`: the one kept when it was built from exactly
   * these, else the one `build` makes (then kept).
   */
  view(
    tenantId: string,
    state: RunState,
    usage: RunUsage,
    activity: PhaseActivity | undefined,
    build: () => Promise<RunView>,
  ): Promise<RunView>;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_RUNS = 1_000;

interface RunEntry {
  readonly createdAt: number;
  readonly outputs: Map<string, JsonValue>;
  bytes: number;
  /** The last view built, and what it was built from ({@link viewKey}). */
  view?: { readonly seq: number; readonly key: string; readonly view: RunView };
}

export function createRunViewCache(options: RunViewCacheOptions = {}): RunViewCache {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
  // In least recently used order: a run shown is moved to the end.
  const runs = new Map<string, RunEntry>();
  let total = 0;

  /** The run's entry, moved to the end; a new one when none is kept for this run (or it is another run). */
  const touch = (tenantId: string, state: RunState): RunEntry => {
    const key = `${tenantId}\u0000${state.runId}`;
    let entry = runs.get(key);
    if (entry !== undefined) {
      runs.delete(key);
      if (entry.createdAt !== state.createdAt) {
        total -= entry.bytes;
        entry = undefined;
      }
    }
    entry ??= { createdAt: state.createdAt, outputs: new Map(), bytes: 0 };
    runs.set(key, entry);
    return entry;
  };

  /** Drops the least recently shown runs while over a bound. */
  const evict = () => {
    for (const [oldest, dropped] of runs) {
      if (total <= maxBytes && runs.size <= maxRuns) break;
      runs.delete(oldest);
      total -= dropped.bytes;
    }
  };

  return {
    outputs(tenantId, store) {
      return async (state, refs) => {
        const kept = touch(tenantId, state);
        evict();
        const values = refs.map((ref) => kept.outputs.get(refKey(ref)));
        const missing = refs.flatMap((ref, index) => (values[index] === undefined ? [{ ref, index }] : []));
        if (missing.length === 0) return values;
        const artifacts = await store.getArtifacts(
          state.runId,
          missing.map(({ ref }) => ref),
        );
        // Kept in the entry current now: another request may have replaced or dropped it meanwhile.
        const entry = touch(tenantId, state);
        missing.forEach(({ ref, index }, i) => {
          const artifact = artifacts[i];
          if (artifact === undefined) return;
          const value = decodeOutput(artifact.mediaType, artifact.content);
          values[index] = value;
          if (artifact.size > maxBytes / 4 || entry.outputs.has(refKey(ref))) return;
          entry.outputs.set(refKey(ref), value);
          entry.bytes += artifact.size;
          total += artifact.size;
        });
        evict();
        return values;
      };
    },

    async view(tenantId, state, usage, activity, build) {
      const key = viewKey(state, usage, activity);
      const kept = touch(tenantId, state).view;
      if (kept?.key === key) return kept.view;
      const view = await build();
      // The entry current now (see `outputs`); a view of an older state never replaces a newer one.
      const entry = touch(tenantId, state);
      if (entry.view === undefined || entry.view.seq <= state.seq) entry.view = { seq: state.seq, key, view };
      evict();
      return view;
    },
  };
}

/** An artifact version's key within its run. */
function refKey(ref: ArtifactVersionRef): string {
  return `${ref.version}:${ref.phaseId}`;
}

/**
 * What a view is built from, as text: the state's last event number, the usage's totals and phase
 * count (the ledger only grows: its totals move with every call),
 * and each running attempt's latest activity.
 */
function viewKey(state: RunState, usage: RunUsage, activity: PhaseActivity | undefined): string {
  const { total } = usage;
  let key = `${state.seq} ${total.calls}/${total.inputTokens}/${total.outputTokens}/${total.cachedTokens}/${total.costUsd}/${total.unpricedCalls}/${usage.phases.length}`;
  if (activity !== undefined) for (const [phaseId, at] of activity) key += ` ${at}:${phaseId}`;
  return key;
}
