/**
 * The delivery workload: how long a committed event takes to reach SSE clients. 100 runs of a slow
 * chain run at once on the server's workers; first 1 client follows one of them, then (100 new
 * runs) 1,000 clients follow them, 10 per run, each on its own keep-alive connection from this
 * process. A run's followers connect while its first phase waits (10 s: a thousand connections take
 * seconds to open on a busy machine), so the later events arrive live.
 *
 * A warm-up round comes first — 1,000 clients following 100 runs, checked like the others, its
 * figures reported as `warm-up` and held to no target: a fresh server's first thousand streams
 * grow its heap, and the garbage collector's pauses while it grows (scavenges of 10–20 ms, several
 * a second) are the start of a server, not how it delivers once it runs, which is what the target
 * is about (as the read workloads' warm-up does for them).
 *
 * Latency of an event = its arrival here (`Date.now()` when the frame is parsed) − its commit time.
 * On PostgreSQL that time is the database's own (`commit-times.ts`, needs `track_commit_timestamp
 * = on`); elsewhere — the embedded database, or a PostgreSQL that does not keep them — it is the
 * event's `at`, the writer's `Date.now()` (same machine, same clock) taken before the statement that
 * commits it, so the figure is an upper bound of commit → arrival by the time the write took
 * (`measuredFrom` says which). Arrival − `at` is reported too (`writeAndDeliveryMs`), and on
 * PostgreSQL the write's own share, `at` → commit (`writeMs`). Events that were committed before
 * the client's stream was open (replayed, not live) are checked but not timed.
 *
 * Every client must end with exactly the run's stored log, or the bench fails.
 */
import { eventKey, readCommitTimes, type CommitTimes } from './commit-times.js';
import { cpuMark, cpuSince } from './cpu-sample.js';
import { waitCompleted } from './api-data.js';
import { followRuns } from './follow-runs.js';
import { checkAgainstLogs, uploadSlowChain } from './stream-data.js';
import type { SseFollower } from './sse-follower.js';
import { latencySummary, within, type StreamContext } from './stream-context.js';
import { TARGETS } from './render.js';

const RUNS = 100;
const DONE_TIMEOUT_MS = 10 * 60_000;

/** Rounds of the workload: clients, how many follow each run, whether it is the warm-up. */
const ROUNDS = [
  { clients: 1000, perRun: 10, warmup: true },
  { clients: 1, perRun: 1, warmup: false },
  { clients: 1000, perRun: 10, warmup: false },
] as const;

export async function benchDelivery(context: StreamContext): Promise<void> {
  const shape = context.quick
    ? { phases: 5, delayMs: 300, firstDelayMs: 10_000 }
    : { phases: 10, delayMs: 300, firstDelayMs: 10_000 };
  const workflow = await uploadSlowChain(context.url, context.token, shape);
  for (const round of ROUNDS) {
    context.progress(
      `${context.backend}: delivery${round.warmup ? ' (warm-up)' : ''}, ${RUNS} runs of ` +
        `${shape.phases} phases × ${shape.delayMs} ms, ${round.clients} client${round.clients === 1 ? '' : 's'}`,
    );
    const connecting = performance.now();
    const { runIds, followers } = await followRuns(context, workflow, RUNS, round.perRun, round.clients);
    const connectMs = Math.round(performance.now() - connecting);
    const mark = await cpuMark(context.pid);
    const started = performance.now();
    await within(Promise.all(followers.map((f) => f.done)), DONE_TIMEOUT_MS, 'the followed runs ending');
    const cpu = await cpuSince(mark, context.pid);
    const followedMs = Math.round(performance.now() - started);
    await Promise.all(followers.map((f) => f.disconnect()));
    // The runs nobody followed too, so that the next round starts on an idle server.
    await waitCompleted(context.url, context.token, runIds);

    const problems = await checkAgainstLogs(context.url, context.token, followers);
    if (problems.length > 0)
      throw new Error(
        `delivery: clients did not receive exactly the log:\n${problems.slice(0, 20).join('\n')}`,
      );
    const commits =
      context.databaseUrl === undefined
        ? { unavailable: 'the embedded database runs inside the served process' }
        : await readCommitTimes(context.databaseUrl, runIds);
    const timed = timeEvents(followers, 'times' in commits ? commits.times : undefined);
    const latencyMs = latencySummary(timed.fromCommit ?? timed.fromAt);
    const target = TARGETS.delivery;
    context.emit({
      workload: 'delivery',
      backend: context.backend,
      clients: round.clients,
      runs: RUNS,
      warmup: round.warmup,
      phasesPerRun: shape.phases,
      phaseDelayMs: shape.delayMs,
      eventsTimed: timed.fromAt.length,
      eventsReplayed: timed.replayed,
      measuredFrom: timed.fromCommit === undefined ? 'at' : 'commit',
      ...('unavailable' in commits ? { commitTimesUnavailable: commits.unavailable } : {}),
      latencyMs,
      writeAndDeliveryMs: latencySummary(timed.fromAt),
      writeMs: timed.write === undefined ? null : latencySummary(timed.write),
      connectMs,
      connectRetries: followers.reduce((sum, f) => sum + f.connectRetries, 0),
      followedMs,
      cpu,
      target:
        round.clients === 1000 && !round.warmup
          ? { what: target.what, met: latencyMs !== null && latencyMs.p99 <= target.p99Ms }
          : null,
    });
  }
}

/** The live events' latencies: from `at` always, and from the commit and of the write when known. */
function timeEvents(
  followers: readonly SseFollower[],
  commitTimes: CommitTimes | undefined,
): { fromAt: number[]; fromCommit?: number[]; write?: number[]; replayed: number } {
  const fromAt: number[] = [];
  const fromCommit: number[] = [];
  const write: number[] = [];
  let replayed = 0;
  for (const follower of followers) {
    for (const event of follower.events) {
      if (event.at < follower.openedAt) {
        replayed += 1;
        continue;
      }
      fromAt.push(event.arrivedAt - event.at);
      const committed = commitTimes?.get(eventKey(follower.runId, event.seq));
      if (committed === undefined) continue;
      fromCommit.push(round1(event.arrivedAt - committed));
      write.push(round1(committed - event.at));
    }
  }
  if (commitTimes === undefined) return { fromAt, replayed };
  if (fromCommit.length < fromAt.length)
    throw new Error(
      `delivery: ${fromAt.length - fromCommit.length} of ${fromAt.length} live events have no commit time`,
    );
  return { fromAt, fromCommit, write, replayed };
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
