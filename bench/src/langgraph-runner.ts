/**
 * LangGraph.js side: a graph's nodes as no-op LangGraph nodes (each records that it ran), joins as
 * `addEdge([parents], child)`, run with `durability: "sync"` (its default, `async`, returns before
 * checkpoints are written: not durable) on one of its checkpointers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Annotation,
  END,
  MemorySaver,
  START,
  StateGraph,
  type BaseCheckpointSaver,
} from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import pg from 'pg';
import type { Graph } from './graphs.js';

export type Backend = 'memory' | 'embedded' | 'postgres';

/** A checkpointer on a fresh store, and how to dispose of it. */
export interface Checkpointer {
  readonly saver: BaseCheckpointSaver;
  dispose(): Promise<void>;
}

export async function openCheckpointer(backend: Backend, adminUrl?: string): Promise<Checkpointer> {
  if (backend === 'memory') return { saver: new MemorySaver(), dispose: () => Promise.resolve() };
  if (backend === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'lg-sqlite-'));
    const saver = SqliteSaver.fromConnString(join(dir, 'checkpoints.db'));
    return {
      saver,
      dispose: async () => {
        (saver as unknown as { db: { close(): void } }).db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  if (adminUrl === undefined) throw new Error('the postgres backend needs a database URL');
  const name = `lg_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Our own pool (what fromConnString makes), with an error listener: a connection the final
  // DROP … WITH (FORCE) ends must not crash the process.
  const pool = new pg.Pool({ connectionString: url.toString() });
  pool.on('error', () => undefined);
  const saver = new PostgresSaver(pool);
  await saver.setup();
  return {
    saver,
    dispose: async () => {
      await pool.end();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Builds the compiled graph; `ran` hears each node of each thread when it runs. */
export function compileGraph(
  graph: Graph,
  saver: BaseCheckpointSaver,
  ran: (threadId: string, node: string) => void,
) {
  const State = Annotation.Root({ done: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });
  // Node names are data here, which the builder's types cannot follow: one loose view of it.
  const builder = new StateGraph(State) as unknown as {
    addNode(
      name: string,
      fn: (state: unknown, config: { configurable?: { thread_id?: string } }) => Record<string, never>,
    ): unknown;
    addEdge(from: string | string[], to: string): unknown;
    compile(options: { checkpointer: BaseCheckpointSaver }): {
      invoke(input: object, config: object): Promise<unknown>;
    };
  };
  const children = new Map<string, number>();
  for (const node of graph.nodes) {
    builder.addNode(node, (_state, config) => {
      ran(config.configurable?.thread_id ?? '', node);
      return {};
    });
  }
  for (const node of graph.nodes) {
    const parents = graph.parents[node] ?? [];
    for (const parent of parents) children.set(parent, (children.get(parent) ?? 0) + 1);
    if (parents.length === 0) builder.addEdge(START, node);
    else builder.addEdge(parents.length === 1 ? parents[0]! : [...parents], node);
  }
  for (const node of graph.nodes) if (!children.has(node)) builder.addEdge(node, END);
  return builder.compile({ checkpointer: saver });
}

/** Runs one thread of the compiled graph to its end, durably. */
export async function invokeGraph(
  app: ReturnType<typeof compileGraph>,
  threadId: string,
  supersteps: number,
): Promise<void> {
  await app.invoke(
    {},
    { configurable: { thread_id: threadId }, durability: 'sync', recursionLimit: supersteps + 10 },
  );
}
