/**
 * Validation and normalisation of a workflow definition given as plain data.
 */
import type { Problem } from '../errors.js';
import type {
  AgentDefinition,
  FixtureSet,
  JsonSchema,
  PhaseDefinition,
  WorkflowDefinition,
} from '../types.js';
import { checkFixturesField, inlineFixturesKey, type FixturesSink } from './inline-fixtures.js';
import { checkAgents, checkModelSetting } from './validate-agents.js';
import { checkBudget } from './validate-budget.js';
import { checkJsonSchema, checkKnownFields, describeValue, isRecord } from './field-checks.js';
import { findCycles } from './find-cycles.js';
import { DEFAULT_AGENTS, MAX_ID_LENGTH, MAX_PHASES, WORKFLOW_ID_PATTERN } from './rules.js';
import { createSuggester } from './suggest.js';
import type { PhaseContext } from './phase-context.js';
import { validatePhase } from './validate-phase.js';
import { checkReviewers } from './validate-review.js';
import { checkStages } from './validate-stages.js';
import { checkTitleSpec } from './validate-title.js';

/** Options of {@link validateWorkflow} and `parseWorkflow`. */
export interface ValidateWorkflowOptions {
  /** Agents a phase may name in `agent` (default: `['scripted']`). */
  readonly knownAgents?: readonly string[];
  /**
   * Builtin steps a `builtin` phase may name in `run` (where the steps are known: the CLI, the
   * server). Absent: any well-formed step name; an unknown one then fails at run time.
   */
  readonly knownSteps?: readonly string[];
  /**
   * False for a definition that must be self-contained (one sent to a server): a path in
   * `fixtures:` is a problem, only inline fixtures are allowed. Default true.
   */
  readonly allowFixturePaths?: boolean;
}

/**
 * A normalised definition, or every problem found. `inlineFixtures` (only when there are some)
 * holds the fixtures written inline under `fixtures:`, by the key the definition names them with
 * (see `inline-fixtures.ts`): a run's fixtures include them.
 */
export type WorkflowResult =
  | {
      readonly ok: true;
      readonly workflow: WorkflowDefinition;
      readonly inlineFixtures?: FixtureSet;
    }
  | { readonly ok: false; readonly problems: Problem[] };

const WORKFLOW_FIELDS = [
  'id',
  'version',
  'description',
  'inputs',
  'fixtures',
  'governance',
  'model',
  'budget',
  'agents',
  'title',
  'phases',
  'stages',
] as const;
/** Report at most this many cycles; the rest appear once these are fixed. */
const MAX_REPORTED_CYCLES = 50;

/**
 * Validates already parsed data (from YAML, JSON or the builder) and normalises it: every default
 * is filled in (`version: 1`, `needs: []`, `gate: false`, the default retry policy, `onFailure:
 * continue`, the kind's default timeout) and scripted agent phases inherit the workflow-level
 * `fixtures`. A normalised definition validates to itself.
 *
 * Reports every problem at once, in a deterministic order (fields in document order, then
 * cycles), each with a path such as `phases[2].needs[0]`: unknown or misspelt fields, missing or
 * malformed ids, duplicate ids, unknown kinds, agents and needed phases (with a did-you-mean
 * hint), fields that do not fit the phase's kind, bad durations and retry policies, JSON Schemas
 * that do not compile, dependency cycles, and `stages:` entries that name no phase or status
 * (`validate-stages.ts`). Never throws on bad input.
 */
export function validateWorkflow(raw: unknown, options: ValidateWorkflowOptions = {}): WorkflowResult {
  const problems: Problem[] = [];
  if (raw === null || raw === undefined) {
    return {
      ok: false,
      problems: [{ path: '', message: 'the workflow is empty (it needs at least an id and phases)' }],
    };
  }
  if (!isRecord(raw)) {
    return {
      ok: false,
      problems: [
        { path: '', message: `a workflow must be a mapping with id and phases, got ${describeValue(raw)}` },
      ],
    };
  }
  checkKnownFields(raw, WORKFLOW_FIELDS, '', problems);

  const id = checkWorkflowId(raw.id, problems);
  const version = checkVersion(raw.version, problems);
  let description: string | undefined;
  if (raw.description !== undefined) {
    if (typeof raw.description === 'string') description = raw.description;
    else
      problems.push({ path: 'description', message: `must be text, got ${describeValue(raw.description)}` });
  }
  const inputs = raw.inputs === undefined ? undefined : checkInputsSchema(raw.inputs, problems);
  const sink: FixturesSink = { allowPaths: options.allowFixturePaths ?? true, inline: {} };
  const fixtures =
    raw.fixtures === undefined
      ? undefined
      : checkFixturesField(raw.fixtures, 'fixtures', inlineFixturesKey(), sink, problems);
  let governance: string | undefined;
  if (raw.governance !== undefined) {
    if (typeof raw.governance === 'string' && raw.governance.trim() !== '') governance = raw.governance;
    else
      problems.push({
        path: 'governance',
        message: `must be non-empty text (the preamble of every agent's system prompt), got ${describeValue(raw.governance)}`,
      });
  }
  const model = raw.model === undefined ? undefined : checkModelSetting(raw.model, 'model', problems);
  const budget = raw.budget === undefined ? undefined : checkBudget(raw.budget, 'budget', problems);
  const builtIn = options.knownAgents ?? DEFAULT_AGENTS;
  const phaseIds = new Set(
    Array.isArray(raw.phases)
      ? raw.phases.flatMap((p: unknown) => (isRecord(p) && typeof p.id === 'string' ? [p.id] : []))
      : [],
  );
  const agents =
    raw.agents === undefined ? undefined : checkAgents(raw.agents, { builtIn, phaseIds }, problems);
  const phases = checkPhases(
    raw.phases,
    {
      knownAgents: [...builtIn, ...Object.keys(agents ?? {})],
      ...(options.knownSteps === undefined ? {} : { knownSteps: options.knownSteps }),
      ...(agents === undefined ? {} : { agents }),
      fixtures,
      hasFixtures: raw.fixtures !== undefined,
      sink,
    },
    problems,
  );
  const stages = raw.stages === undefined ? undefined : checkStages(raw.stages, [...phaseIds], problems);
  const title = raw.title === undefined ? undefined : checkTitleSpec(raw.title, [...phaseIds], problems);

  if (problems.length > 0) return { ok: false, problems };
  const workflow: Record<string, unknown> = { id, version };
  if (description !== undefined) workflow.description = description;
  if (inputs !== undefined) workflow.inputs = inputs;
  if (fixtures !== undefined) workflow.fixtures = fixtures;
  if (governance !== undefined) workflow.governance = governance;
  if (model !== undefined) workflow.model = model;
  if (budget !== undefined) workflow.budget = budget;
  if (agents !== undefined) workflow.agents = agents;
  if (title !== undefined) workflow.title = title;
  workflow.phases = phases;
  if (stages !== undefined) workflow.stages = stages;
  // A copy, so later changes to the caller's objects (e.g. a schema) cannot reach the definition.
  const definition = structuredClone(workflow) as unknown as WorkflowDefinition;
  return Object.keys(sink.inline).length === 0
    ? { ok: true, workflow: definition }
    : { ok: true, workflow: definition, inlineFixtures: structuredClone(sink.inline) };
}

function checkWorkflowId(value: unknown, problems: Problem[]): string | undefined {
  if (value === undefined) {
    problems.push({
      path: 'id',
      message: 'missing required field (the workflow id, such as "release-notes")',
    });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({
      path: 'id',
      message: `must be a string such as "release-notes", got ${describeValue(value)}`,
    });
    return undefined;
  }
  if (!WORKFLOW_ID_PATTERN.test(value) || value.length > MAX_ID_LENGTH) {
    problems.push({
      path: 'id',
      message: `invalid workflow id ${JSON.stringify(value)} (use at most ${MAX_ID_LENGTH} lowercase letters, digits and "-", starting with a letter or digit)`,
    });
  }
  return value;
}

function checkVersion(value: unknown, problems: Problem[]): number {
  if (value === undefined) return 1;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  problems.push({ path: 'version', message: `must be a positive whole number, got ${describeValue(value)}` });
  return 1;
}

function checkInputsSchema(value: unknown, problems: Problem[]): JsonSchema | undefined {
  const schema = checkJsonSchema(value, 'inputs', problems);
  if (isRecord(schema) && schema.type !== undefined && schema.type !== 'object') {
    problems.push({
      path: 'inputs.type',
      message: `must be "object" (run inputs are named values), got ${describeValue(schema.type)}`,
    });
    return undefined;
  }
  return schema;
}

function checkPhases(
  value: unknown,
  workflow: {
    readonly knownAgents: readonly string[];
    readonly knownSteps?: readonly string[];
    readonly agents?: Readonly<Record<string, AgentDefinition>>;
    readonly fixtures: string | undefined;
    readonly hasFixtures: boolean;
    readonly sink: FixturesSink;
  },
  problems: Problem[],
): PhaseDefinition[] {
  if (value === undefined) {
    problems.push({ path: 'phases', message: 'missing required field (the list of phases)' });
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push({ path: 'phases', message: `must be a list of phases, got ${describeValue(value)}` });
    return [];
  }
  if (value.length === 0) {
    problems.push({ path: 'phases', message: 'must have at least one phase' });
    return [];
  }
  if (value.length > MAX_PHASES) {
    problems.push({ path: 'phases', message: `too many phases (${value.length}; at most ${MAX_PHASES})` });
    return [];
  }

  const firstIndex = new Map<string, number>();
  value.forEach((phase: unknown, index) => {
    if (isRecord(phase) && typeof phase.id === 'string' && !firstIndex.has(phase.id))
      firstIndex.set(phase.id, index);
  });
  const context: PhaseContext = {
    ...(workflow.agents === undefined ? {} : { agents: workflow.agents }),
    listPath: 'phases',
    knownAgents: workflow.knownAgents,
    ...(workflow.knownSteps === undefined ? {} : { knownSteps: workflow.knownSteps }),
    defaultFixtures: workflow.fixtures,
    hasDefaultFixtures: workflow.hasFixtures,
    fixtures: workflow.sink,
    firstIndex,
    suggestPhase: createSuggester([...firstIndex.keys()]),
  };
  const phases: PhaseDefinition[] = [];
  value.forEach((raw: unknown, index) => {
    const phase = validatePhase(raw, index, context, problems);
    if (phase !== undefined) phases.push(phase);
  });

  const cycles = findCycles(phases, { limit: MAX_REPORTED_CYCLES + 1 });
  for (const cycle of cycles.slice(0, MAX_REPORTED_CYCLES)) {
    problems.push({ path: 'phases', message: `cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  }
  if (cycles.length > MAX_REPORTED_CYCLES) {
    problems.push({
      path: 'phases',
      message: `more cycles than the ${MAX_REPORTED_CYCLES} shown; fix these and validate again`,
    });
  }
  if (cycles.length === 0 && phases.length === value.length) checkReviewers(phases, problems);
  return phases;
}
