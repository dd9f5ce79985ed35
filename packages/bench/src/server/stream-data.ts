/**
 * The runs the stream workloads follow and download, and the check every follower is held to: the
 * events it received, in order, are exactly the run's stored log (`GET /api/runs/:id/events` JSON
 * pages) — no gap, no duplicate, no reordering.
 */
import { get, uploadWorkflow } from './api-data.js';
import type { SseFollower } from './sse-follower.js';

/**
 * A chain of scripted agent phases that each wait `delayMs` before answering (the fixture's
 * `delayMs`), the first `firstDelayMs`: the followers connect while the first phase waits, so
 * every later event is delivered live, and the run keeps making events for a while.
 */
export async function uploadSlowChain(
  url: string,
  token: string,
  shape: { readonly phases: number; readonly delayMs: number; readonly firstDelayMs: number },
): Promise<string> {
  const ids = Array.from({ length: shape.phases }, (_, i) => `s${String(i).padStart(2, '0')}`);
  const id = `bench-slow-chain-${shape.phases}-${shape.delayMs}`;
  return uploadWorkflow(url, token, {
    id,
    description: `${shape.phases} scripted phases of ${shape.delayMs} ms in a chain (npm run bench:server)`,
    fixtures: Object.fromEntries(
      ids.map((phase, i) => [phase, { output: 'ok', delayMs: i === 0 ? shape.firstDelayMs : shape.delayMs }]),
    ),
    phases: ids.map((phase, i) => ({
      id: phase,
      kind: 'agent',
      agent: 'scripted',
      ...(i === 0 ? {} : { needs: [ids[i - 1]!] }),
    })),
  });
}

/**
 * `phases` independent tool phases, each writing `bytesPerPhase` of random base64 text (one line)
 * to `$BATON_OUTPUT`: a run with that many bytes of outputs, stored off the database (above the
 * blob threshold) as a real large run's would be, and not compressible by the zip. Tool phases sent
 * over the network need `baton serve --allow-host-tools`.
 */
export async function uploadLargeOutputs(
  url: string,
  token: string,
  shape: { readonly phases: number; readonly bytesPerPhase: number },
): Promise<string> {
  // base64 makes 4 bytes of 3.
  const random = Math.ceil((shape.bytesPerPhase * 3) / 4);
  const id = `bench-large-outputs-${shape.phases}`;
  return uploadWorkflow(url, token, {
    id,
    description: `${shape.phases} tool phases of ${shape.bytesPerPhase} bytes each (npm run bench:server)`,
    phases: Array.from({ length: shape.phases }, (_, i) => ({
      id: `out${String(i).padStart(3, '0')}`,
      kind: 'tool',
      run: `head -c ${random} /dev/urandom | base64 -w 0 > "$BATON_OUTPUT"`,
    })),
  });
}

/** A stored event, as the JSON pages give it. */
interface StoredEvent {
  readonly seq: number;
  readonly type: string;
}

/** Every stored event of `runId`, in order (the JSON pages of `GET /api/runs/:id/events`). */
async function storedLog(url: string, token: string, runId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (;;) {
    const after = events.at(-1)?.seq ?? 0;
    const page = (await get(url, `/api/runs/${runId}/events?after=${after}`, token)) as {
      events: StoredEvent[];
      more: boolean;
    };
    events.push(...page.events.map(({ seq, type }) => ({ seq, type })));
    if (!page.more) return events;
  }
}

/**
 * Holds every follower to its run's stored log; returns the problems found (empty when every
 * follower received exactly the log), at most a few per follower.
 */
export async function checkAgainstLogs(
  url: string,
  token: string,
  followers: readonly SseFollower[],
): Promise<string[]> {
  const logs = new Map<string, StoredEvent[]>();
  for (const runId of new Set(followers.map((f) => f.runId)))
    logs.set(runId, await storedLog(url, token, runId));
  const problems: string[] = [];
  followers.forEach((follower, index) => {
    const log = logs.get(follower.runId) ?? [];
    const got = follower.events;
    const who = `client ${index} (run ${follower.runId})`;
    if (follower.error !== undefined) problems.push(`${who}: ${follower.error.message}`);
    if (got.length !== log.length)
      problems.push(`${who}: received ${got.length} events, the log holds ${log.length}`);
    const first = log.findIndex((event, i) => got[i]?.seq !== event.seq || got[i]?.type !== event.type);
    if (first >= 0) {
      const seen = got[first];
      problems.push(
        `${who}: event ${first + 1} is ${seen === undefined ? 'missing' : `seq ${seen.seq} ${seen.type}`}, ` +
          `the log's is seq ${log[first]!.seq} ${log[first]!.type}`,
      );
    }
  });
  return problems;
}
