/**
 * The delivery workload: how long a committed event takes to reach SSE clients. 100 runs of a slow
 * chain run at once on the server's workers; first 1 client follows one of them, then (100 new
 * runs) 1,000 clients follow them, 10 per run, each on its own keep-alive connection from this
 * process. A run's followers connect while its first phase waits (10 s: a thousand connections take
 * seconds to open on a busy machine), so the later events arrive live.
 *
 * Latency of an event = its arrival here (`Date.now()` when the frame is parsed) − its `at`. The
 * commit time is not in the event; `at` is the writer's `Date.now()` (same machine, same clock)
 * taken before the statement that commits it, so the figure is an upper bound of commit → arrival
 * by the time the commit took. Events that were committed before the client's stream was open
 * (replayed, not live) are checked but not timed.
 *
 * Every client must end with exactly the run's stored log, or the bench fails.
 */
import { cpuMark, cpuSince } from './cpu-sample.js';
import { waitCompleted } from './api-data.js';
import { followRuns } from './follow-runs.js';
import { checkAgainstLogs, uploadSlowChain } from './stream-data.js';
import { latencySummary, within, type StreamContext } from './stream-context.js';
import { TARGETS } from './render.js';

const RUNS = 100;
const DONE_TIMEOUT_MS = 10 * 60_000;

/** Rounds of the workload: clients, and how many follow each run. */
const ROUNDS = [
  { clients: 1, perRun: 1 },
  { clients: 1000, perRun: 10 },
] as const;

export async function benchDelivery(context: StreamContext): Promise<void> {
  const shape = context.quick
    ? { phases: 5, delayMs: 300, firstDelayMs: 10_000 }
    : { phases: 10, delayMs: 300, firstDelayMs: 10_000 };
  const workflow = await uploadSlowChain(context.url, context.token, shape);
  for (const round of ROUNDS) {
    context.progress(
      `${context.backend}: delivery, ${RUNS} runs of ${shape.phases} phases × ${shape.delayMs} ms, ` +
        `${round.clients} client${round.clients === 1 ? '' : 's'}`,
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
    const latencies: number[] = [];
    let replayed = 0;
    for (const follower of followers) {
      for (const event of follower.events) {
        if (event.at < follower.openedAt) replayed += 1;
        else latencies.push(event.arrivedAt - event.at);
      }
    }
    const latencyMs = latencySummary(latencies);
    const target = TARGETS.delivery;
    context.emit({
      workload: 'delivery',
      backend: context.backend,
      clients: round.clients,
      runs: RUNS,
      phasesPerRun: shape.phases,
      phaseDelayMs: shape.delayMs,
      eventsTimed: latencies.length,
      eventsReplayed: replayed,
      latencyMs,
      connectMs,
      connectRetries: followers.reduce((sum, f) => sum + f.connectRetries, 0),
      followedMs,
      cpu,
      target:
        round.clients === 1000
          ? { what: target.what, met: latencyMs !== null && latencyMs.p99 <= target.p99Ms }
          : null,
    });
  }
}
