/**
 * A run read through a server: its events (folded with the engine's `applyEvent`, so the state is
 * exactly the server's), its stored outputs and its usage, over the run routes. It is a
 * `RunReader`, so `baton show`, the snapshot, the gate prompt and the live view work on it as on
 * a local store.
 */
import { foldEvents, type RunEvent, type RunState, type StoredArtifact } from '@baton/engine';
import { isApiClientError, type BatonClient } from '@baton/client';
import type { RunReader } from '@baton/runtime';

/** Output versions read at once by `getArtifacts`. */
const ARTIFACT_REQUESTS = 8;

export function createRemoteReader(client: BatonClient): RunReader {
  const states = new Map<string, RunState>();
  const missing = (error: unknown) =>
    isApiClientError(error) && (error.code === 'RUN_NOT_FOUND' || error.code === 'NOT_FOUND');

  const eventsAfter = async (runId: string, afterSeq: number): Promise<RunEvent[] | undefined> => {
    const events: RunEvent[] = [];
    let after = afterSeq;
    for (;;) {
      let page;
      try {
        page = await client.runs.events(runId, { after });
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
      const batch = page.events as unknown as RunEvent[];
      events.push(...batch);
      if (!page.more || batch.length === 0) return events;
      after = batch.at(-1)!.seq;
    }
  };

  const getArtifact = async (runId: string, phaseId: string, version: number) => {
    try {
      const stored = await client.runs.outputVersion(runId, phaseId, version);
      return { ...stored, createdAt: Date.parse(stored.createdAt) } satisfies StoredArtifact;
    } catch (error) {
      if (missing(error) || (isApiClientError(error) && error.code === 'PHASE_NOT_FOUND')) return undefined;
      throw error;
    }
  };

  return {
    async getRun(runId) {
      const known = states.get(runId);
      const events = await eventsAfter(runId, known?.seq ?? 0);
      if (events === undefined) {
        states.delete(runId);
        return undefined;
      }
      if (known === undefined && events.length === 0) return undefined;
      const state = foldEvents(known, events);
      states.set(runId, state);
      return state;
    },
    async listEvents(runId, options = {}) {
      return (await eventsAfter(runId, options.afterSeq ?? 0)) ?? [];
    },
    getArtifact,
    async getArtifacts(runId, refs) {
      // The API serves one output version per request: a few requests at a time, answers in order.
      const found = new Array<StoredArtifact | undefined>(refs.length);
      let next = 0;
      const worker = async () => {
        while (next < refs.length) {
          const index = next++;
          const ref = refs[index]!;
          found[index] = await getArtifact(runId, ref.phaseId, ref.version);
        }
      };
      await Promise.all(Array.from({ length: Math.min(ARTIFACT_REQUESTS, refs.length) }, worker));
      return found;
    },
    async modelUsage(runId) {
      return (await client.runs.usage(runId)) as unknown as Awaited<ReturnType<RunReader['modelUsage']>>;
    },
  };
}
