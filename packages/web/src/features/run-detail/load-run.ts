/**
 * Reads a run for the run page: its view (`GET /api/runs/:id`) and its whole log, a page at a
 * time, folded with the engine's `foldEvents`. The log is read after the view, so the fold is at
 * least as new as the view; the stream then resumes after the fold's last event.
 */
import type { BatonClient } from '@baton/client';
import { foldEvents, type RunEvent } from '@baton/engine';
import type { LiveRun } from '../../store/live-run.js';

/** The server's largest page of events. */
const PAGE = 5000;

export async function loadRun(client: BatonClient, id: string, signal: AbortSignal): Promise<LiveRun> {
  const view = await client.runs.get(id, { signal });
  const events: RunEvent[] = [];
  for (;;) {
    const after = events.at(-1)?.seq ?? 0;
    const page = await client.runs.events(id, { after, limit: PAGE }, { signal });
    // The server's log, as the engine stored it: the fold checks its order.
    events.push(...(page.events as unknown as RunEvent[]));
    if (!page.more || page.events.length === 0) break;
  }
  return { view, state: foldEvents(undefined, events), activity: {}, log: events };
}
