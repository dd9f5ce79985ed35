/** The comparison's workloads, by name: the graph, how many runs of it at once, Baton's driver concurrency. */
import { chainGraph, diamondGraph, fanInGraph, randomGraph, type Graph } from './graphs.js';

export const WORKLOADS = ['chain-100', 'fanout-100', 'dag-1000', 'diamond-10x200'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export function workloadGraph(name: WorkloadName): { graph: Graph; runs: number; concurrency: number } {
  switch (name) {
    case 'chain-100':
      return { graph: chainGraph(100), runs: 1, concurrency: 4 };
    case 'fanout-100':
      return { graph: fanInGraph(100), runs: 1, concurrency: 4 };
    case 'dag-1000':
      return { graph: randomGraph(1000), runs: 1, concurrency: 4 };
    case 'diamond-10x200':
      // 200 runs at once: LangGraph invokes them all concurrently; Baton's driver runs 16 attempts at a time.
      return { graph: diamondGraph(), runs: 200, concurrency: 16 };
  }
}
