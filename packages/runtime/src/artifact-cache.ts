import type { RunEvent, RunInput, RunStore, StoredArtifact } from '@baton/engine';

/** What a phase needs of an artifact. */
export type ArtifactContent = Pick<StoredArtifact, 'mediaType' | 'content'>;

/** Reads one artifact version (immutable once stored). */
export type ArtifactReader = (
  runId: string,
  phaseId: string,
  version: number,
) => Promise<ArtifactContent | undefined>;

/**
 * The outputs this process produced recently, so that the next phase of a chain reads its input
 * from memory instead of the database. Artifact versions never change, so a cached one is never
 * stale. Bounded by count and bytes; the least recently used go first.
 */
export class ArtifactCache {
  private readonly entries = new Map<string, ArtifactContent>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 512,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  remember(runId: string, phaseId: string, version: number, artifact: ArtifactContent): void {
    const size = artifact.content.length;
    if (size > this.maxBytes / 4) return;
    const key = keyOf(runId, phaseId, version);
    this.drop(key);
    this.entries.set(key, artifact);
    this.bytes += size;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.content.length;
    }
  }

  /** Remembers the outputs a successful attempt's result stored (its `phase_output` events). */
  rememberOutputs(runId: string, input: RunInput, events: readonly RunEvent[]): void {
    if (input.type !== 'succeed') return;
    for (const event of events) {
      if (event.type !== 'phase_output') continue;
      this.remember(runId, event.phaseId, event.artifact.version, {
        mediaType: input.output.mediaType,
        content: input.output.text,
      });
    }
  }

  /** A reader that answers from the cache and falls back to the store. */
  reader(store: RunStore): ArtifactReader {
    return async (runId, phaseId, version) => {
      const key = keyOf(runId, phaseId, version);
      const cached = this.entries.get(key);
      if (cached !== undefined) {
        // Refresh its place in the LRU order.
        this.entries.delete(key);
        this.entries.set(key, cached);
        return cached;
      }
      return store.getArtifact(runId, phaseId, version);
    };
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.bytes -= old.content.length;
  }
}

function keyOf(runId: string, phaseId: string, version: number): string {
  return `${runId}\u0000${phaseId}\u0000${version}`;
}
