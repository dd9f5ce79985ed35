/**
 * The benchmark's workflows: chains, a fan-out and a random DAG, all of scripted agent phases
 * that answer `ok` at once, so a step costs orchestration only (scheduler, store, driver).
 */
import { validateWorkflow, type FixtureSet, type RunInput, type WorkflowDefinition } from '@baton/engine';

/** The fixtures file every bench phase reads its answer from. */
const FIXTURES_FILE = 'f.yaml';

/** A phase as written in a workflow file (before validation fills in the defaults). */
interface RawPhase {
  readonly id: string;
  readonly kind: 'agent';
  readonly agent: 'scripted';
  readonly needs?: readonly string[];
}

/** A workflow as written in a file. */
export interface RawWorkflow {
  readonly id: string;
  readonly fixtures: string;
  readonly phases: readonly RawPhase[];
}

/** A validated workflow, its fixtures and the number of phases (= steps of a run). */
export interface Workload {
  readonly name: string;
  readonly raw: RawWorkflow;
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly steps: number;
}

function phase(id: string, needs: readonly string[] = []): RawPhase {
  return { id, kind: 'agent', agent: 'scripted', ...(needs.length > 0 ? { needs } : {}) };
}

function phaseId(prefix: string, index: number, width: number): string {
  return `${prefix}${String(index).padStart(width, '0')}`;
}

/** Validates a generated workflow and gives every phase a fixture entry `{output: ok}`. */
/** The input that creates a run `runId` of `workload` (no run inputs, created by `bench`). */
export function createInput(workload: Workload, runId: string): Extract<RunInput, { type: 'create' }> {
  return {
    type: 'create',
    runId,
    workflow: workload.workflow,
    fixtures: workload.fixtures,
    inputs: {},
    by: 'bench',
  };
}

export function toWorkload(name: string, raw: RawWorkflow): Workload {
  const result = validateWorkflow(raw);
  if (!result.ok) {
    const first = result.problems[0];
    throw new Error(`bench workflow ${name} is invalid: ${first?.path ?? ''} ${first?.message ?? ''}`);
  }
  const entries = Object.fromEntries(raw.phases.map((p) => [p.id, { output: 'ok' }]));
  return {
    name,
    raw,
    workflow: result.workflow,
    fixtures: { [FIXTURES_FILE]: entries },
    steps: raw.phases.length,
  };
}

/** `length` phases, each needing the one before. */
export function chain(length: number): Workload {
  const width = String(length).length;
  const phases = Array.from({ length }, (_, i) =>
    phase(phaseId('p', i, width), i === 0 ? [] : [phaseId('p', i - 1, width)]),
  );
  return toWorkload(`chain-${length}`, { id: `bench-chain-${length}`, fixtures: FIXTURES_FILE, phases });
}

/** One root phase and `width` phases that each need only the root (`width + 1` steps). */
export function fanOut(width: number): Workload {
  const digits = String(width).length;
  const phases = [
    phase('root'),
    ...Array.from({ length: width }, (_, i) => phase(phaseId('leaf', i, digits), ['root'])),
  ];
  return toWorkload(`fanout-${width}`, { id: `bench-fanout-${width}`, fixtures: FIXTURES_FILE, phases });
}

/** Shape of a generated DAG. */
export interface DagShape {
  readonly phases: number;
  readonly edges: number;
  readonly roots: number;
  /** Phases on the longest path. */
  readonly depth: number;
}

/**
 * A random DAG of `size` phases (deterministic for a seed). Phase `i` needs 0–3 distinct phases
 * among the 200 before it (none with probability 1/50, so about 2 % are roots); the window keeps
 * the graph deep (thousands of levels would be a chain, one level a fan-out).
 */
export function randomDag(size: number, seed: number): { raw: RawWorkflow; shape: DagShape } {
  const random = mulberry32(seed);
  const width = String(size - 1).length;
  const depthOf: number[] = [];
  const phases: RawPhase[] = [];
  let edges = 0;
  for (let i = 0; i < size; i += 1) {
    const needs = new Set<number>();
    if (i > 0 && random() >= 1 / 50) {
      const count = 1 + Math.floor(random() * 3);
      for (let k = 0; k < count; k += 1) needs.add(Math.max(0, i - 1 - Math.floor(random() * 200)));
    }
    edges += needs.size;
    depthOf.push(1 + Math.max(0, ...[...needs].map((n) => depthOf[n] ?? 0)));
    phases.push(
      phase(
        phaseId('p', i, width),
        [...needs].map((n) => phaseId('p', n, width)),
      ),
    );
  }
  return {
    raw: { id: `bench-dag-${size}`, fixtures: FIXTURES_FILE, phases },
    shape: {
      phases: size,
      edges,
      roots: phases.filter((p) => p.needs === undefined).length,
      depth: Math.max(...depthOf),
    },
  };
}

/** The workflow as a YAML file would hold it (block style, one field a line). */
export function toYaml(raw: RawWorkflow): string {
  const lines = [`id: ${raw.id}`, `fixtures: ${raw.fixtures}`, 'phases:'];
  for (const p of raw.phases) {
    lines.push(`  - id: ${p.id}`, `    kind: ${p.kind}`, `    agent: ${p.agent}`);
    if (p.needs !== undefined) lines.push(`    needs: [${p.needs.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same DAG everywhere. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
