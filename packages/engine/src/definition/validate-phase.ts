/**
 * Validation and normalisation of one phase of a workflow definition.
 */
import type { Problem } from '../errors.js';
import type { OnFailure, PhaseDefinition, PhaseKind } from '../types.js';
import type { PhaseContext } from './phase-context.js';
import { checkModelSetting } from './validate-agents.js';
import { checkBudget } from './validate-budget.js';
import {
  checkJsonSchema,
  checkKnownFields,
  describeValue,
  fieldPath,
  hintFor,
  indexPath,
  isRecord,
  listWords,
} from './field-checks.js';
import {
  DEFAULT_ON_FAILURE,
  DEFAULT_RETRY,
  MAX_ID_LENGTH,
  PHASE_ID_PATTERN,
  SCRIPTED_AGENT,
} from './rules.js';
import { suggest } from './suggest.js';
import { checkRetry, checkTimeout } from './validate-timing.js';
import { checkReview, REVIEW_FIELDS } from './validate-review.js';
import { checkMap, MAP_FIELDS, NOT_FOR_MAPS } from './validate-map.js';
import { checkFixturesField, inlineFixturesKey } from './inline-fixtures.js';
import { checkRun } from './validate-run.js';
import { checkOnReject } from './validate-on-reject.js';

const KINDS: readonly PhaseKind[] = ['tool', 'agent', 'human', 'builtin', 'map'];
const ON_FAILURE: readonly OnFailure[] = ['continue', 'fail-fast', 'skip'];
const PHASE_FIELDS = [
  'id',
  'kind',
  'description',
  'needs',
  'run',
  'agent',
  'fixtures',
  'prompt',
  'gate',
  'retry',
  'timeout',
  'timeoutMs',
  'onFailure',
  'onReject',
  'output',
  'input',
  'model',
  'budget',
  ...REVIEW_FIELDS,
  ...MAP_FIELDS,
] as const;
/** Fields only one kind of phase takes. */
const KIND_OF_FIELD = {
  agent: 'agent',
  fixtures: 'agent',
  prompt: 'human',
  model: 'agent',
  budget: 'agent',
} as const;

/**
 * Checks the phase at `listPath[index]` (or at `path`, for a map's one-phase template) and returns
 * it normalised (every default filled in). Problems go to `problems`; the returned phase is only
 * meaningful when none were added.
 */
export function validatePhase(
  raw: unknown,
  index: number,
  context: PhaseContext,
  problems: Problem[],
  path: string = indexPath(context.listPath, index),
): PhaseDefinition | undefined {
  if (!isRecord(raw)) {
    problems.push({
      path,
      message: `a phase must be a mapping with at least id and kind, got ${describeValue(raw)}`,
    });
    return undefined;
  }
  const at = (key: string): string => fieldPath(path, key);
  checkKnownFields(raw, PHASE_FIELDS, path, problems);

  const id = checkPhaseId(raw, index, path, context, problems);
  const kind = checkKind(raw.kind, at('kind'), problems);
  if (kind === 'map' && context.templateOf !== undefined) {
    problems.push({
      path: at('kind'),
      message: `a map's template cannot hold another map (in "${context.templateOf}")`,
    });
  }
  const description = optionalString(raw, 'description', path, problems);
  const needs = checkNeeds(raw.needs, at('needs'), id, context, problems);

  for (const [field, owner] of Object.entries(KIND_OF_FIELD)) {
    if (raw[field] !== undefined && kind !== undefined && kind !== owner) {
      problems.push({
        path: at(field),
        message: `only ${owner} phases take ${field} (this is ${kind === 'agent' ? 'an' : 'a'} ${kind} phase)`,
      });
    }
  }
  const run = checkRun(raw, kind, path, context, problems);
  for (const field of kind === 'map' ? NOT_FOR_MAPS : MAP_FIELDS) {
    if (raw[field] === undefined || kind === undefined) continue;
    if (field === 'timeoutMs' && raw[field] === null) continue; // normalised: no time limit
    problems.push({
      path: at(field),
      message:
        kind === 'map'
          ? `a map phase takes no ${field} (set it on the phases of its template)`
          : `only map phases take ${field} (this is ${kind === 'agent' ? 'an' : 'a'} ${kind} phase)`,
    });
  }
  const agent = checkAgent(raw, kind, at('agent'), context, problems);
  let fixtures =
    raw.fixtures === undefined
      ? undefined
      : checkFixturesField(
          raw.fixtures,
          at('fixtures'),
          inlineFixturesKey({ id: id ?? '', templateOf: context.templateOf }),
          context.fixtures,
          problems,
        );
  // Fixtures answer the scripted agent, and inline agents on the offline `scripted` model provider.
  const inlineAgent = agent !== undefined && context.agents?.[agent] !== undefined;
  if (agent !== undefined && agent !== SCRIPTED_AGENT && !inlineAgent && raw.fixtures !== undefined) {
    problems.push({
      path: at('fixtures'),
      message: `only the ${SCRIPTED_AGENT} agent and inline agents (agents:) use fixtures (this phase's agent is "${agent}")`,
    });
  }
  if (inlineAgent && raw.fixtures === undefined) fixtures = context.defaultFixtures;
  if (kind === 'agent' && agent === SCRIPTED_AGENT && raw.fixtures === undefined) {
    fixtures = context.defaultFixtures;
    if (!context.hasDefaultFixtures) {
      problems.push({
        path: at('fixtures'),
        message: `missing required field (the ${SCRIPTED_AGENT} agent answers from a fixtures file; set fixtures here or at the workflow level)`,
      });
    }
  }
  const prompt = optionalString(raw, 'prompt', path, problems);

  let gate = false;
  if (raw.gate !== undefined) {
    if (typeof raw.gate === 'boolean') gate = raw.gate;
    else
      problems.push({ path: at('gate'), message: `must be true or false, got ${describeValue(raw.gate)}` });
  }
  const retry = raw.retry === undefined ? DEFAULT_RETRY : checkRetry(raw.retry, at('retry'), problems);
  const timeoutMs = kind === 'map' ? null : checkTimeout(raw, kind, path, problems);
  const onFailure = checkOnFailure(raw.onFailure, at('onFailure'), problems);
  const inline = agent === undefined ? undefined : context.agents?.[agent];
  // An inline agent's output schema is the phase's unless the phase sets its own.
  const output =
    raw.output === undefined ? inline?.output : checkJsonSchema(raw.output, at('output'), problems);
  const model = raw.model === undefined ? undefined : checkModelSetting(raw.model, at('model'), problems);
  const budget = raw.budget === undefined ? undefined : checkBudget(raw.budget, at('budget'), problems);
  for (const [index, read] of (inline?.reads ?? []).entries()) {
    if (!needs.includes(read)) {
      problems.push({
        path: at('needs'),
        message: `agent "${agent}" reads "${read}" (agents.${agent}.reads[${index}]), which this phase does not need: add it to needs`,
      });
    }
  }
  const input = raw.input === undefined ? undefined : checkJsonSchema(raw.input, at('input'), problems);
  const reviewer = checkReview(raw, path, problems);
  if (reviewer !== undefined && kind === 'human') {
    problems.push({
      path: at('reviews'),
      message: 'a human phase cannot be a reviewer (use a gate instead)',
    });
  }
  if (reviewer !== undefined && gate) {
    problems.push({
      path: at('gate'),
      message: `a reviewer takes no gate: its verdict is shown at the gate of "${reviewer.reviews}" (set gate there)`,
    });
  }

  const onReject = checkOnReject(
    raw.onReject,
    at('onReject'),
    { kind, gate, reviews: reviewer?.reviews },
    problems,
  );

  const map =
    kind === 'map' && context.templateOf === undefined
      ? checkMap(raw, path, id, context, problems, validatePhase)
      : undefined;

  return compact({
    id: id ?? '',
    kind: kind ?? 'tool',
    description,
    needs: map === undefined || needs.includes(map.over) ? needs : [map.over, ...needs],
    run,
    agent,
    fixtures,
    prompt,
    gate,
    retry,
    timeoutMs,
    onFailure,
    onReject,
    output,
    input,
    model,
    budget,
    reviews: reviewer?.reviews,
    review: reviewer?.review,
    map,
    instanceOf: undefined,
  });
}

function checkPhaseId(
  raw: Record<string, unknown>,
  index: number,
  phasePath: string,
  context: PhaseContext,
  problems: Problem[],
): string | undefined {
  const path = fieldPath(phasePath, 'id');
  const id = raw.id;
  if (id === undefined) {
    problems.push({ path, message: 'missing required field (a phase id such as "draft")' });
    return undefined;
  }
  if (typeof id !== 'string') {
    problems.push({ path, message: `must be a string such as "draft", got ${describeValue(id)}` });
    return undefined;
  }
  if (!PHASE_ID_PATTERN.test(id) || id.length > MAX_ID_LENGTH) {
    problems.push({
      path,
      message: `invalid phase id ${JSON.stringify(id)} (use at most ${MAX_ID_LENGTH} lowercase letters, digits, "_" and "-", starting with a letter or digit)`,
    });
  }
  const first = context.firstIndex.get(id);
  if (first !== undefined && first !== index) {
    problems.push({
      path,
      message: `duplicate phase id "${id}" (first defined at ${indexPath(context.listPath, first)})`,
    });
  }
  return id;
}

function checkKind(value: unknown, path: string, problems: Problem[]): PhaseKind | undefined {
  if (value === undefined) {
    problems.push({ path, message: `missing required field (expected ${listWords(KINDS)})` });
    return undefined;
  }
  if (typeof value === 'string' && (KINDS as readonly string[]).includes(value)) return value as PhaseKind;
  if (typeof value !== 'string') {
    problems.push({ path, message: `must be ${listWords(KINDS)}, got ${describeValue(value)}` });
    return undefined;
  }
  const match = suggest(value, KINDS);
  problems.push({
    path,
    message: `unknown kind "${value}" (expected ${listWords(KINDS)}${alsoDidYouMean(match)})`,
    ...hintFor(match),
  });
  return undefined;
}

function checkNeeds(
  value: unknown,
  path: string,
  ownId: string | undefined,
  context: PhaseContext,
  problems: Problem[],
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    const example = typeof value === 'string' ? ` such as [${value}]` : '';
    problems.push({ path, message: `must be a list of phase ids${example}, got ${describeValue(value)}` });
    return [];
  }
  const needs: string[] = [];
  const seenAt = new Map<string, number>();
  value.forEach((entry: unknown, j) => {
    const entryPath = indexPath(path, j);
    if (typeof entry !== 'string') {
      problems.push({
        path: entryPath,
        message: `must be a phase id (a string), got ${describeValue(entry)}`,
      });
      return;
    }
    const earlier = seenAt.get(entry);
    if (earlier !== undefined) {
      problems.push({
        path: entryPath,
        message: `duplicate entry "${entry}" (already listed at needs[${earlier}])`,
      });
      return;
    }
    seenAt.set(entry, j);
    needs.push(entry);
    if (entry === ownId) {
      problems.push({ path: entryPath, message: `phase "${entry}" cannot need itself` });
    } else if (!context.firstIndex.has(entry)) {
      const match = context.suggestPhase(entry, ownId);
      const hint = match === undefined ? '' : ` (did you mean "${match}"?)`;
      problems.push({ path: entryPath, message: `unknown phase "${entry}"${hint}`, ...hintFor(match) });
    }
  });
  return needs;
}

function checkAgent(
  raw: Record<string, unknown>,
  kind: PhaseKind | undefined,
  path: string,
  context: PhaseContext,
  problems: Problem[],
): string | undefined {
  const known = listWords(context.knownAgents);
  const agent = raw.agent;
  if (agent === undefined) {
    if (kind === 'agent') {
      problems.push({ path, message: `missing required field (the agent that does the work: ${known})` });
    }
    return undefined;
  }
  if (typeof agent !== 'string') {
    problems.push({ path, message: `must be the name of an agent (${known}), got ${describeValue(agent)}` });
    return undefined;
  }
  if (!context.knownAgents.includes(agent)) {
    const match = suggest(agent, context.knownAgents);
    problems.push({
      path,
      message: `unknown agent "${agent}" (known agents: ${context.knownAgents.join(', ')}${alsoDidYouMean(match)})`,
      ...hintFor(match),
    });
    return undefined;
  }
  return agent;
}

function checkOnFailure(value: unknown, path: string, problems: Problem[]): OnFailure {
  if (value === undefined) return DEFAULT_ON_FAILURE;
  if (typeof value === 'string' && (ON_FAILURE as readonly string[]).includes(value))
    return value as OnFailure;
  const match = typeof value === 'string' ? suggest(value, ON_FAILURE) : undefined;
  const shown = typeof value === 'string' ? `"${value}"` : describeValue(value);
  problems.push({
    path,
    message: `unknown onFailure ${shown} (expected ${listWords(ON_FAILURE)}${alsoDidYouMean(match)})`,
    ...hintFor(match),
  });
  return DEFAULT_ON_FAILURE;
}

function optionalString(
  raw: Record<string, unknown>,
  key: string,
  path: string,
  problems: Problem[],
  what?: string,
): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  const purpose = what === undefined ? '' : ` (${what})`;
  problems.push({
    path: fieldPath(path, key),
    message: `must be non-empty text${purpose}, got ${describeValue(value)}`,
  });
  return undefined;
}

/** `; did you mean "x"?` for use inside an existing parenthesis, or nothing. */
function alsoDidYouMean(match: string | undefined): string {
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

/** Drops keys whose value is `undefined`, so normalised phases compare and serialise cleanly. */
function compact(phase: {
  [K in keyof Required<PhaseDefinition>]: Required<PhaseDefinition>[K] | undefined;
}): PhaseDefinition {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(phase)) if (value !== undefined) out[key] = value;
  return out as unknown as PhaseDefinition;
}
