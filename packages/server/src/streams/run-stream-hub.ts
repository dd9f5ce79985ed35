/**
 * The run stream's per-process hub: one subscription to the store's run-event notices and one to
 * live progress, fanned out to every client following a run of this process (`run-follower.ts`).
 *
 * - A notice (this process's commits at once, other processes' through the database) makes the
 *   run's tail (`run-tail.ts`) take the events it carries (this process's commits) or read what was
 *   committed after its head — one read per run, however many follow it — and then wakes the
 *   followers: those at the head take the new frames from the
 *   tail, those behind it read the log by seq themselves.
 * - Every `pollMs` (default 1 s) the hub refreshes each followed run's tail the same way: a missed
 *   notice costs latency, never events.
 *   The same tick sends each running attempt's heartbeat (`activity`) when it moved: at most one
 *   per attempt per tick.
 * - Every `keepaliveMs` (default 15 s) each client gets a `: keepalive` comment.
 * Fan-out never waits for a client: it only queues into the client's bounded buffer
 * (`run-follower.ts` says what happens when one is full).
 */
import type { PhaseProgressEvent, RunStore } from '@baton/engine';
import { RunFollower, type FrameSink } from './run-follower.js';
import { RunTail } from './run-tail.js';
import { activityFrame, eventFrame, KEEPALIVE_FRAME, progressFrame } from './sse-frames.js';

/** Options of {@link createRunStreamHub}. */
export interface RunStreamHubOptions {
  /** The store in the system scope: notices and progress of every tenant, routed by run. */
  readonly store: RunStore;
  /** How often each followed run is probed for missed events and heartbeats (default 1,000 ms). */
  readonly pollMs?: number;
  /** How often each client gets a keepalive comment (default 15,000 ms). */
  readonly keepaliveMs?: number;
  /** Most frames buffered for one client before it counts as too far behind (default 1,000). */
  readonly maxBuffered?: number;
  /** Most events read at once (default 500). */
  readonly pageSize?: number;
  /** Most events of a run kept in its shared tail (default 256). */
  readonly tailSize?: number;
}

/** What a client asks to follow. */
interface FollowRequest {
  readonly tenantId: string;
  readonly runId: string;
  /** The tenant's view of the store. */
  readonly store: RunStore;
  readonly sink: FrameSink;
  /** Told once when the follower closes. */
  readonly onClose: () => void;
}

export interface RunStreamHub {
  /** Registers a client; it hears notices from now on, and sends once `start`ed. */
  follow(request: FollowRequest): RunFollower;
  /** Stops the subscriptions and timers and closes every follower (again: nothing more). */
  close(): Promise<void>;
}

/** The followers of one run. */
interface RunChannel {
  readonly tenantId: string;
  readonly followers: Set<RunFollower>;
  /** The run's newest events, read once for its followers at the head. */
  readonly tail: RunTail;
  /** The latest heartbeat sent per attempt (`phase#attempt` → epoch ms). */
  readonly heartbeats: Map<string, number>;
}

export async function createRunStreamHub(options: RunStreamHubOptions): Promise<RunStreamHub> {
  const { store } = options;
  const maxBuffered = options.maxBuffered ?? 1_000;
  const pageSize = options.pageSize ?? 500;
  const tailSize = options.tailSize ?? 256;
  const channels = new Map<string, RunChannel>();
  /** Latest progress per run and attempt: a heartbeat source besides the task's own. */
  const typed = new Map<string, Map<string, number>>();

  const stopEvents = await store.subscribeEvents((notice) => {
    const channel = channels.get(notice.runId);
    if (channel === undefined || channel.tenantId !== notice.tenantId) return;
    if (notice.lastSeq <= (channel.tail.head ?? 0)) return;
    // This process's own commit: its events, no read (the tail says whether they continue it).
    if (notice.events !== undefined && channel.tail.offer(notice.events)) {
      const head = channel.tail.head!;
      for (const follower of channel.followers) follower.wake(head);
      return;
    }
    void refresh(channel).catch(() => undefined);
  });
  const stopProgress = await store.subscribeProgress((event: PhaseProgressEvent) => {
    const channel = channels.get(event.runId);
    if (channel === undefined) return;
    if (event.tenantId !== undefined && event.tenantId !== channel.tenantId) return;
    let attempts = typed.get(event.runId);
    if (attempts === undefined) typed.set(event.runId, (attempts = new Map<string, number>()));
    const key = `${event.phaseId}#${event.attempt}`;
    attempts.set(key, Math.max(attempts.get(key) ?? 0, event.at));
    const frame = progressFrame(event);
    for (const follower of channel.followers) follower.live(frame);
  });

  /**
   * Reads the run's new events into its tail and wakes the followers. The tail starts at the newest
   * position of its followers (before any has one, there is nothing to serve: each reads the store
   * as it starts, after every notice it could have missed).
   */
  async function refresh(channel: RunChannel): Promise<void> {
    let from: number | undefined;
    for (const follower of channel.followers)
      if (follower.lastSeq !== undefined) from = Math.max(from ?? 0, follower.lastSeq);
    if (from === undefined && channel.tail.head === undefined) return;
    const head = await channel.tail.refresh(from ?? 0);
    if (head === undefined) return;
    for (const follower of channel.followers) follower.wake(head);
  }

  /** Probes one run for events nobody told of, and sends heartbeats that moved. */
  async function probe(runId: string, channel: RunChannel): Promise<void> {
    await refresh(channel);
    const attempts = typed.get(runId);
    for (const task of await store.runningTasks({ runId })) {
      const key = `${task.phaseId}#${task.attempt}`;
      const at = Math.max(task.heartbeatAt, attempts?.get(key) ?? 0);
      if ((channel.heartbeats.get(key) ?? 0) >= at) continue;
      channel.heartbeats.set(key, at);
      const frame = activityFrame(task.phaseId, task.attempt, at);
      for (const follower of channel.followers) follower.live(frame);
    }
  }

  let probing = false;
  let closed = false;
  const poll = setInterval(() => {
    // One tick at a time: a slow database makes ticks rarer, never pile up.
    if (probing) return;
    probing = true;
    void Promise.allSettled([...channels].map(([runId, channel]) => probe(runId, channel))).finally(() => {
      probing = false;
    });
  }, options.pollMs ?? 1_000);
  poll.unref();
  const keepalive = setInterval(() => {
    for (const channel of channels.values())
      for (const follower of channel.followers) follower.live(KEEPALIVE_FRAME);
  }, options.keepaliveMs ?? 15_000);
  keepalive.unref();

  return {
    follow(request) {
      let channel = channels.get(request.runId);
      if (channel === undefined) {
        const tail = new RunTail({
          runId: request.runId,
          store: request.store,
          pageSize,
          capacity: tailSize,
          frame: eventFrame,
        });
        channel = { tenantId: request.tenantId, followers: new Set(), tail, heartbeats: new Map() };
        channels.set(request.runId, channel);
      }
      const joined = channel;
      // The tail is read through its tenant's view: another tenant's client of the id reads its own.
      const shared = channel.tenantId === request.tenantId ? channel.tail : undefined;
      const follower: RunFollower = new RunFollower({
        runId: request.runId,
        store: request.store,
        sink: request.sink,
        maxBuffered,
        pageSize,
        frame: eventFrame,
        ...(shared === undefined ? {} : { tail: shared }),
        onClose: () => {
          joined.followers.delete(follower);
          if (joined.followers.size === 0 && channels.get(request.runId) === joined) {
            channels.delete(request.runId);
            typed.delete(request.runId);
          }
          request.onClose();
        },
      });
      channel.followers.add(follower);
      // A hub closed meanwhile (the server is stopping) serves nobody new.
      if (closed) follower.close();
      return follower;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(keepalive);
      for (const channel of [...channels.values()])
        for (const follower of [...channel.followers]) follower.close();
      await stopEvents();
      await stopProgress();
    },
  };
}
