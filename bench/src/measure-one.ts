/**
 * One measurement in a process of its own (so its peak RSS is its own): `tsx measure-one.ts
 * SPEC_JSON` runs one workload on one system and backend and prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { measureBaton } from './baton-runner.js';
import { checkOrder, type Graph } from './graphs.js';
import { compileGraph, invokeGraph, openCheckpointer, type Backend } from './langgraph-runner.js';
import { workloadGraph, type WorkloadName } from './workloads.js';

export interface MeasureSpec {
  readonly system: 'baton' | 'langgraph';
  readonly backend: Backend;
  readonly workload: WorkloadName;
  readonly databaseUrl?: string;
}

export interface MeasureResult {
  readonly runMs: number;
  /** Completion times of the steps, ms from the start, in order. */
  readonly completions: readonly number[];
  readonly steps: number;
  readonly commits?: number;
  readonly peakRssMb: number;
}

async function measureLangGraph(
  spec: MeasureSpec,
  graph: Graph,
  runs: number,
): Promise<Omit<MeasureResult, 'peakRssMb'>> {
  const checkpointer = await openCheckpointer(spec.backend, spec.databaseUrl);
  try {
    const ran = new Map<string, string[]>();
    const completions: number[] = [];
    let started = 0;
    const app = compileGraph(graph, checkpointer.saver, (thread, node) => {
      completions.push(performance.now() - started);
      const list = ran.get(thread) ?? [];
      list.push(node);
      ran.set(thread, list);
    });
    const threads = Array.from(
      { length: runs },
      (_, i) => `${graph.name}-${i}-${randomBytes(3).toString('hex')}`,
    );
    const supersteps = depth(graph);
    started = performance.now();
    await Promise.all(threads.map((thread) => invokeGraph(app, thread, supersteps)));
    const runMs = performance.now() - started;
    for (const thread of threads) checkOrder(graph, ran.get(thread) ?? [], 'langgraph');
    return { runMs, completions, steps: graph.nodes.length * runs };
  } finally {
    await checkpointer.dispose();
  }
}

function depth(graph: Graph): number {
  const level = new Map<string, number>();
  for (const node of graph.nodes) {
    level.set(node, 1 + Math.max(0, ...(graph.parents[node] ?? []).map((p) => level.get(p) ?? 0)));
  }
  return Math.max(...level.values());
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as MeasureSpec;
  const { graph, runs, concurrency } = workloadGraph(spec.workload);
  const result =
    spec.system === 'baton'
      ? await measureBaton(spec.backend, graph, runs, concurrency, spec.databaseUrl).then((m) => ({
          ...m,
          steps: graph.nodes.length * runs,
        }))
      : await measureLangGraph(spec, graph, runs);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
