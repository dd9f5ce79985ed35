/**
 * Workload 5, one half per process: `pause` runs `a → b (waits for a person) → c` until it waits
 * at `b` and exits; `resume`, in a new process, opens the same store, approves `b` and runs to
 * the end. Prints `resumeMs`: from the resuming process's start (its module loading included) to
 * the run's end. Baton: `b` has a gate. LangGraph: `b` calls `interrupt()` and the resume is
 * `Command({resume})` — each on its embedded store (a PGlite directory / an SQLite file) or a
 * PostgreSQL database the caller created.
 */
import { join } from 'node:path';
import type { RunStore } from '@baton/engine';
import { validateWorkflow } from '@baton/engine';
import { createHandlerRegistry, createScriptedHandler, RunDriver, systemClock } from '@baton/runtime';
import { openPgliteStore, openPostgresStore } from '@baton/store';
import {
  Annotation,
  Command,
  END,
  interrupt,
  START,
  StateGraph,
  type BaseCheckpointSaver,
} from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import pg from 'pg';

export interface GateSpec {
  readonly system: 'baton' | 'langgraph';
  readonly backend: 'embedded' | 'postgres';
  readonly phase: 'pause' | 'resume';
  /** Embedded: the directory of the store. */
  readonly dir: string;
  /** PostgreSQL: the database (created by the caller). */
  readonly databaseUrl?: string;
  readonly runId: string;
}

const WORKFLOW = (() => {
  const result = validateWorkflow({
    id: 'gate-restart',
    fixtures: 'f.yaml',
    phases: [
      { id: 'a', kind: 'agent', agent: 'scripted' },
      { id: 'b', kind: 'agent', agent: 'scripted', needs: ['a'], gate: true },
      { id: 'c', kind: 'agent', agent: 'scripted', needs: ['b'] },
    ],
  });
  if (!result.ok) throw new Error('gate-restart workflow is invalid');
  return result.workflow;
})();
const FIXTURES = { 'f.yaml': { a: { output: 'ok' }, b: { output: 'ok' }, c: { output: 'ok' } } };

async function batonStore(spec: GateSpec): Promise<RunStore> {
  return spec.backend === 'embedded'
    ? openPgliteStore({ dataDir: join(spec.dir, 'pglite') })
    : openPostgresStore({ connectionString: spec.databaseUrl! });
}

async function baton(spec: GateSpec): Promise<void> {
  const store = await batonStore(spec);
  try {
    const driver = new RunDriver({
      store,
      handlers: createHandlerRegistry([createScriptedHandler()]),
      clock: systemClock,
    });
    if (spec.phase === 'pause') {
      const created = await store.createRun(
        {
          type: 'create',
          runId: spec.runId,
          workflow: WORKFLOW,
          fixtures: FIXTURES,
          inputs: {},
          by: 'bench',
        },
        systemClock.now(),
      );
      if (!created.ok) throw new Error(created.error.message);
      const outcome = await driver.drive(spec.runId);
      if (outcome.state.phases.b?.status !== 'waiting_for_human')
        throw new Error(`baton: b is ${outcome.state.phases.b?.status}`);
      return;
    }
    const decided = await store.apply(
      spec.runId,
      { type: 'decide', phaseId: 'b', decision: { kind: 'approve' }, by: 'bench' },
      systemClock.now(),
    );
    if (!decided.ok) throw new Error(decided.error.message);
    const outcome = await driver.drive(spec.runId);
    if (outcome.state.status !== 'completed')
      throw new Error(`baton: the resumed run is ${outcome.state.status}`);
  } finally {
    await store.close();
  }
}

async function langgraph(spec: GateSpec): Promise<void> {
  let saver: BaseCheckpointSaver;
  let close: () => Promise<void>;
  if (spec.backend === 'embedded') {
    const sqlite = SqliteSaver.fromConnString(join(spec.dir, 'checkpoints.db'));
    saver = sqlite;
    close = () => Promise.resolve((sqlite as unknown as { db: { close(): void } }).db.close());
  } else {
    const pool = new pg.Pool({ connectionString: spec.databaseUrl });
    pool.on('error', () => undefined);
    const postgres = new PostgresSaver(pool);
    if (spec.phase === 'pause') await postgres.setup();
    saver = postgres;
    close = () => pool.end();
  }
  const ran: string[] = [];
  const State = Annotation.Root({ approved: Annotation<string>() });
  const app = new StateGraph(State)
    .addNode('a', () => {
      ran.push('a');
      return {};
    })
    .addNode('b', () => {
      const answer = interrupt('approve the output of b') as string;
      ran.push('b');
      return { approved: answer };
    })
    .addNode('c', () => {
      ran.push('c');
      return {};
    })
    .addEdge(START, 'a')
    .addEdge('a', 'b')
    .addEdge('b', 'c')
    .addEdge('c', END)
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: spec.runId }, durability: 'sync' as const };
  try {
    if (spec.phase === 'pause') {
      const result = (await app.invoke({}, config)) as { __interrupt__?: unknown[] };
      if (result.__interrupt__ === undefined || ran.join() !== 'a')
        throw new Error(`langgraph: did not wait at b (ran ${ran.join()})`);
      return;
    }
    const result = (await app.invoke(new Command({ resume: 'approved' }), config)) as { approved?: string };
    if (result.approved !== 'approved' || ran.join() !== 'b,c')
      throw new Error(`langgraph: the resume ran ${ran.join()}`);
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as GateSpec;
  await (spec.system === 'baton' ? baton(spec) : langgraph(spec));
  // Since this process started: what a restart costs until the run is done.
  process.stdout.write(
    `${JSON.stringify({ resumeMs: performance.now(), peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
