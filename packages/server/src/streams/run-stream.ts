/**
 * Serves one client of `GET /api/runs/:id/events` as Server-Sent Events (`docs/server.md`, "The
 * run stream"): subscribe first (`hub.follow`), then find the starting point — the client's resume
 * point, or a snapshot and the seq it reflects — then every event after it, from the store by seq,
 * and live frames. Never ends by itself: only when the client leaves, or the follower closes
 * (too far behind, a failed read), which ends the response; the client reconnects with its last id.
 */
import type { RunStore } from '@baton/engine';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RunStreamHub } from './run-stream-hub.js';
import { snapshotFrame } from './sse-frames.js';

/** What {@link serveRunStream} serves. */
export interface RunStreamRequest {
  readonly hub: RunStreamHub;
  readonly tenantId: string;
  readonly runId: string;
  /** The tenant's view of the store (the run is known to be in it). */
  readonly store: RunStore;
  /** Resume after this seq; undefined: start with a snapshot. */
  readonly lastEventId: number | undefined;
  /** The run's view (as `GET /api/runs/:id` answers it) and the seq it reflects. */
  readonly snapshot: () => Promise<{ readonly seq: number; readonly view: unknown }>;
}

export function serveRunStream(c: Context, request: RunStreamRequest): Response {
  return streamSSE(c, async (stream) => {
    let closed!: () => void;
    const ended = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const follower = request.hub.follow({
      tenantId: request.tenantId,
      runId: request.runId,
      store: request.store,
      sink: { write: (frame) => stream.write(frame).then(() => undefined) },
      onClose: () => closed(),
    });
    stream.onAbort(() => follower.close());
    try {
      if (request.lastEventId !== undefined) {
        follower.start(request.lastEventId);
      } else {
        // Subscribed already: whatever commits while the snapshot is built is read after its seq.
        const { seq, view } = await request.snapshot();
        follower.start(seq, snapshotFrame(seq, view));
      }
    } catch {
      follower.close();
    }
    await ended;
  });
}
