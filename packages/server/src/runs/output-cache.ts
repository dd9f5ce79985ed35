/**
 * The decoded outputs of the runs this server showed last, so that showing a run again reads only
 * the outputs it did not show before — none, for a run that did not move. Without it a run's view
 * reads every phase's output on every request (a 100-phase run: 100 rows, decoded each time).
 *
 * Why it is never stale, on one server or on several sharing PostgreSQL: a stored version of an
 * output never changes — `(run, phase, version)` is written once, with the step that made it — so
 * what is kept stays true for as long as the run exists, whatever other servers record. Which
 * versions a view shows comes from the run's state, which the caller has just read from the
 * database (`getRun`, scoped to the principal's tenant), never from here. A run deleted and made
 * again under the same id is another run: an entry is used only for the run created at the time it
 * was kept (`createdAt`). Entries are per tenant: a tenant's request never finds another tenant's.
 * A version not stored (yet) is not kept, so it is asked for again.
 *
 * Bounded: at most {@link OutputCacheOptions.maxBytes} of output (counted by stored size), the
 * least recently shown runs dropped first; an output larger than a quarter of it is not kept.
 */
import type { ArtifactVersionRef, JsonValue, RunStore } from '@baton/engine';
import { decodeOutput, type OutputReader } from '@baton/runtime';

export interface OutputCacheOptions {
  /** Outputs kept at most, in stored bytes (default 32 MiB). */
  readonly maxBytes?: number;
  /** Runs kept at most (default 1,000). */
  readonly maxRuns?: number;
}

export interface OutputCache {
  /** An {@link OutputReader} of the tenant's outputs: kept ones from memory, others from `store`. */
  reader(tenantId: string, store: Pick<RunStore, 'getArtifacts'>): OutputReader;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_RUNS = 1_000;

interface RunEntry {
  readonly createdAt: number;
  readonly outputs: Map<string, JsonValue>;
  bytes: number;
}

export function createOutputCache(options: OutputCacheOptions = {}): OutputCache {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
  // In least recently used order: a run shown is moved to the end.
  const runs = new Map<string, RunEntry>();
  let total = 0;

  /** The run's entry, moved to the end; a new one when none is kept for this run (or it is another run). */
  const touch = (key: string, createdAt: number): RunEntry => {
    let entry = runs.get(key);
    if (entry !== undefined) {
      runs.delete(key);
      if (entry.createdAt !== createdAt) {
        total -= entry.bytes;
        entry = undefined;
      }
    }
    entry ??= { createdAt, outputs: new Map(), bytes: 0 };
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
    reader(tenantId, store) {
      return async (state, refs) => {
        const key = `${tenantId}\u0000${state.runId}`;
        const kept = touch(key, state.createdAt);
        evict();
        const values = refs.map((ref) => kept.outputs.get(refKey(ref)));
        const missing = refs.flatMap((ref, index) => (values[index] === undefined ? [{ ref, index }] : []));
        if (missing.length === 0) return values;
        const artifacts = await store.getArtifacts(
          state.runId,
          missing.map(({ ref }) => ref),
        );
        // Kept in the entry current now: another request may have replaced or dropped it meanwhile.
        const entry = touch(key, state.createdAt);
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
  };
}

/** An artifact version's key within its run. */
function refKey(ref: ArtifactVersionRef): string {
  return `${ref.version}:${ref.phaseId}`;
}
