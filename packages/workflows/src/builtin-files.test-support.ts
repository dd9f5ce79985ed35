/**
 * A built-in workflow and its fixtures as plain data, for tests that check them against the
 * engine's validators. The workflow is read as YAML, not through `parseWorkflow`, so the tests can
 * look at every field as written (`recommended`, `stages`, …); the fixtures are read by the
 * engine's own fixtures parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseFixtures,
  type FixtureAnswer,
  type FixtureFile,
  type JsonSchema,
  type JsonValue,
} from '@baton/engine';
import { parse } from 'yaml';
import { BUILTINS_DIR } from './builtins-dir.js';

export interface RawAgent {
  readonly system: string;
  readonly description?: string;
  readonly output?: JsonSchema;
  readonly reads?: readonly string[];
  readonly tools?: readonly string[];
  readonly recommended?: {
    readonly provider: string;
    readonly model: string;
    readonly maxTokens: number;
    readonly callTimeout?: string;
  };
}

interface RawPhase {
  readonly id: string;
  readonly kind: string;
  readonly agent?: string;
  readonly run?: string;
  readonly needs?: readonly string[];
  readonly gate?: boolean;
  readonly reviews?: string;
  readonly advisory?: boolean;
  readonly rounds?: number;
  readonly onRoundsExhausted?: string;
}

interface RawStage {
  readonly stage: string;
  readonly phases?: Readonly<Record<string, string | readonly string[]>>;
  readonly run?: string | readonly string[];
}

/** A built-in's `workflow.yaml` as written (the fields the tests read). */
export interface RawWorkflow {
  readonly id: string;
  readonly version: number;
  readonly fixtures: string;
  readonly title: { readonly from: string; readonly field?: string };
  readonly inputs: JsonSchema;
  readonly governance: string;
  readonly agents: Readonly<Record<string, RawAgent>>;
  readonly phases: readonly RawPhase[];
  readonly stages: readonly RawStage[];
}

/** The `workflow.yaml` of built-in `name`, as written. */
export function loadRawWorkflow(name: string): RawWorkflow {
  return parse(readFileSync(join(BUILTINS_DIR, name, 'workflow.yaml'), 'utf8')) as RawWorkflow;
}

/** The fixtures file of built-in `name`, read by the engine's own parser (problems throw here). */
export function loadRawFixtures(name: string): FixtureFile {
  const text = readFileSync(join(BUILTINS_DIR, name, loadRawWorkflow(name).fixtures), 'utf8');
  const result = parseFixtures(text, { fileName: 'fixtures.yaml' });
  if (!result.ok) throw new Error(`${name}/fixtures.yaml: ${JSON.stringify(result.problems)}`);
  return result.fixtures;
}

/** The agent a phase runs. */
export function agentOf(workflow: RawWorkflow, phaseId: string): RawAgent {
  const phase = workflow.phases.find((candidate) => candidate.id === phaseId);
  const agent = phase?.agent === undefined ? undefined : workflow.agents[phase.agent];
  if (agent === undefined) throw new Error(`phase ${phaseId} runs no inline agent`);
  return agent;
}

/** The answers of an entry's model calls, in order (one answer when it has no `replies`). */
export function repliesOf(answer: FixtureAnswer): readonly FixtureAnswer[] {
  return answer.replies ?? [answer];
}

/** The artifact an entry finally answers with: the `output` of its last reply. */
export function finalOutput(answer: FixtureAnswer): JsonValue {
  const last = repliesOf(answer).at(-1);
  if (last?.output === undefined) throw new Error('the last reply has no output');
  return last.output;
}

/** The files the entry's `write_files` calls write, by path (a later write wins). */
export function writtenFiles(answer: FixtureAnswer): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  for (const reply of repliesOf(answer)) {
    for (const call of reply.toolCalls ?? []) {
      if (call.tool !== 'write_files') continue;
      const input = call.input as { files: { path: string; content: string }[] };
      for (const file of input.files) files.set(file.path, file.content);
    }
  }
  return files;
}

/** A run's state as far as stages look at it. */
export interface StageView {
  readonly run: string;
  readonly phases: Readonly<Record<string, string>>;
}
