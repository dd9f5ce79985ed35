/**
 * The reconnect storm: 1,000 clients follow 100 running runs (10 each); mid-run every connection
 * is dropped at once, the runs go on for a second, then all 1,000 reconnect at once, each with its
 * `Last-Event-ID`. Every client must end with exactly its run's stored log — no gap, no duplicate
 * (the bench fails otherwise).
 *
 * Timed from the moment the reconnects are sent: until every server has answered them (the
 * streams are open), and until every gap is served — a client's gap is served once it received a
 * frame written after that moment (`at` > it: the log is delivered in order, so everything before
 * has arrived) or its run's final event. The served process's CPU is read over the same span.
 */
import { waitCompleted } from './api-data.js';
import { cpuMark, cpuSince } from './cpu-sample.js';
import { followRuns } from './follow-runs.js';
import { TARGETS } from './render.js';
import { checkAgainstLogs, uploadSlowChain } from './stream-data.js';
import { waitFor, within, type StreamContext } from './stream-context.js';

const RUNS = 100;
const PER_RUN = 10;
const DONE_TIMEOUT_MS = 10 * 60_000;
/** How long the clients stay away: the gap each must be served. */
const AWAY_MS = 1000;

export async function benchStorm(context: StreamContext): Promise<void> {
  const shape = context.quick
    ? { phases: 8, delayMs: 300, firstDelayMs: 10_000 }
    : { phases: 15, delayMs: 300, firstDelayMs: 10_000 };
  const workflow = await uploadSlowChain(context.url, context.token, shape);
  const clients = RUNS * PER_RUN;
  context.progress(`${context.backend}: storm, ${clients} clients on ${RUNS} runs, all reconnecting at once`);
  const { runIds, followers } = await followRuns(context, workflow, RUNS, PER_RUN, clients);
  // Mid-run: once the first phases are done and events are flowing.
  await waitFor(
    () => followers.every((f) => f.events.some((e) => e.type === 'phase_completed')),
    'the followed runs completing a phase',
    DONE_TIMEOUT_MS,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all(followers.map((f) => f.disconnect()));
  const before = followers.map((f) => f.events.length);
  const finishedBefore = followers.filter((f) => f.finished).length;
  await new Promise((resolve) => setTimeout(resolve, AWAY_MS));

  const mark = await cpuMark(context.pid);
  const reconnectAt = Date.now();
  const started = performance.now();
  await Promise.all(followers.map((f) => f.connect()));
  const answeredMs = Math.round(performance.now() - started);
  await waitFor(
    () => followers.every((f) => f.finished || (f.events.at(-1)?.at ?? 0) > reconnectAt),
    'every gap served',
    DONE_TIMEOUT_MS,
    5,
  );
  const gapsServedMs = Math.round(performance.now() - started);
  const cpu = await cpuSince(mark, context.pid);
  // The gap's events: received after the reconnect and written before it.
  const gapEvents = followers.reduce(
    (sum, f, i) => sum + f.events.slice(before[i]).filter((e) => e.at <= reconnectAt).length,
    0,
  );

  await within(Promise.all(followers.map((f) => f.done)), DONE_TIMEOUT_MS, 'the followed runs ending');
  await Promise.all(followers.map((f) => f.disconnect()));
  await waitCompleted(context.url, context.token, runIds);
  const problems = await checkAgainstLogs(context.url, context.token, followers);
  context.emit({
    workload: 'storm',
    backend: context.backend,
    clients,
    runs: RUNS,
    phasesPerRun: shape.phases,
    awayMs: AWAY_MS,
    finishedBeforeStorm: finishedBefore,
    gapEvents,
    answeredMs,
    connectRetries: followers.reduce((sum, f) => sum + f.connectRetries, 0),
    gapsServedMs,
    cpu,
    events: followers.reduce((sum, f) => sum + f.events.length, 0),
    problems: problems.length,
    target: { what: TARGETS.storm.what, met: problems.length === 0 },
  });
  if (problems.length > 0)
    throw new Error(`storm: clients did not end with exactly the log:\n${problems.slice(0, 20).join('\n')}`);
}
