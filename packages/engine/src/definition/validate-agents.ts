/**
 * Inline agents (`agents:`) and model settings (`model:` on the workflow, an agent or a phase).
 * See `docs/agents-plan.md`.
 */
import type { Problem } from '../errors.js';
import {
  AgentTools,
  ModelProviders,
  type AgentDefinition,
  type AgentTool,
  type ModelProvider,
  type ModelSetting,
  type RecommendedModel,
} from '../types.js';
import {
  checkDuration,
  checkJsonSchema,
  checkKnownFields,
  checkWholeNumber,
  describeValue,
  fieldPath,
  hintFor,
  indexPath,
  isRecord,
  listWords,
} from './field-checks.js';
import { MAX_ID_LENGTH, MAX_MODEL_TOKENS, PHASE_ID_PATTERN } from './rules.js';
import { suggest } from './suggest.js';

/** `callTimeoutMs` is the normalised spelling of `callTimeout`, accepted so definitions round-trip. */
const MODEL_FIELDS = [
  'provider',
  'model',
  'maxTokens',
  'temperature',
  'stream',
  'callTimeout',
  'callTimeoutMs',
] as const;
const AGENT_FIELDS = ['description', 'system', 'model', 'recommended', 'output', 'reads', 'tools'] as const;

/** Checks a model setting; returns it without the parts left out. */
export function checkModelSetting(
  value: unknown,
  path: string,
  problems: Problem[],
): ModelSetting | undefined {
  if (!isRecord(value)) {
    problems.push({
      path,
      message: `must be a mapping such as { provider: anthropic, model: claude-sonnet-4-5 }, got ${describeValue(value)}`,
    });
    return undefined;
  }
  checkKnownFields(value, MODEL_FIELDS, path, problems);
  const setting: { -readonly [K in keyof ModelSetting]: ModelSetting[K] } = {};
  const provider = value.provider;
  if (provider !== undefined) {
    if (typeof provider === 'string' && (ModelProviders as readonly string[]).includes(provider)) {
      setting.provider = provider as ModelProvider;
    } else {
      const hint = typeof provider === 'string' ? suggest(provider, ModelProviders) : undefined;
      problems.push({
        path: fieldPath(path, 'provider'),
        message: `unknown provider ${typeof provider === 'string' ? `"${provider}"` : describeValue(provider)} (expected ${listWords(ModelProviders)}${hint === undefined ? '' : `; did you mean "${hint}"?`})`,
        ...hintFor(hint),
      });
    }
  }
  if (value.model !== undefined) {
    if (typeof value.model === 'string' && value.model.trim() !== '') setting.model = value.model;
    else
      problems.push({
        path: fieldPath(path, 'model'),
        message: `must be the model's name, got ${describeValue(value.model)}`,
      });
  }
  if (value.maxTokens !== undefined) {
    setting.maxTokens = checkWholeNumber(
      value.maxTokens,
      fieldPath(path, 'maxTokens'),
      { min: 1, max: MAX_MODEL_TOKENS, why: 'output tokens of one call', fallback: 1 },
      problems,
    );
  }
  if (value.temperature !== undefined) {
    const t = value.temperature;
    if (typeof t === 'number' && t >= 0 && t <= 2) setting.temperature = t;
    else
      problems.push({
        path: fieldPath(path, 'temperature'),
        message: `must be a number from 0 to 2, got ${describeValue(t)}`,
      });
  }
  if (value.stream !== undefined) {
    if (typeof value.stream === 'boolean') setting.stream = value.stream;
    else
      problems.push({
        path: fieldPath(path, 'stream'),
        message: `must be true or false, got ${describeValue(value.stream)}`,
      });
  }
  const callTimeoutMs = checkCallTimeout(value, path, problems);
  if (callTimeoutMs !== undefined) setting.callTimeoutMs = callTimeoutMs;
  return setting;
}

/** `callTimeout` (a positive duration such as `5m`) or `callTimeoutMs` (milliseconds), not both. */
function checkCallTimeout(
  value: Record<string, unknown>,
  path: string,
  problems: Problem[],
): number | undefined {
  if (value.callTimeout !== undefined && value.callTimeoutMs !== undefined) {
    problems.push({
      path: fieldPath(path, 'callTimeoutMs'),
      message: 'set either callTimeout or callTimeoutMs, not both',
    });
    return undefined;
  }
  if (value.callTimeoutMs !== undefined) {
    if (typeof value.callTimeoutMs === 'number') {
      return checkDuration(value.callTimeoutMs, fieldPath(path, 'callTimeoutMs'), problems, {
        positive: true,
      });
    }
    problems.push({
      path: fieldPath(path, 'callTimeoutMs'),
      message: `must be a number of milliseconds, got ${describeValue(value.callTimeoutMs)}`,
    });
    return undefined;
  }
  if (value.callTimeout === undefined) return undefined;
  return checkDuration(value.callTimeout, fieldPath(path, 'callTimeout'), problems, { positive: true });
}

/**
 * Checks an agent's recommended model: a model setting that names both its provider and its model
 * (a recommendation is used whole or not at all, so it cannot lean on another level for them).
 */
function checkRecommended(value: unknown, path: string, problems: Problem[]): RecommendedModel | undefined {
  const setting = checkModelSetting(value, path, problems);
  if (setting === undefined) return undefined;
  const { provider, model } = setting;
  for (const [key, given] of [
    ['provider', provider],
    ['model', model],
  ] as const) {
    // Only a missing part: a malformed one has its own problem already.
    if (given === undefined && isRecord(value) && value[key] === undefined) {
      problems.push({
        path: fieldPath(path, key),
        message:
          'missing required field (a recommended model names its provider and its model, e.g. { provider: anthropic, model: claude-sonnet-4-5 })',
      });
    }
  }
  return provider === undefined || model === undefined ? undefined : { ...setting, provider, model };
}

/**
 * Checks the inline agents: names like phase ids (and not a built-in agent's), a system prompt,
 * a model setting, an output schema, known tools, `reads` naming phases of the workflow.
 */
export function checkAgents(
  value: unknown,
  context: { readonly builtIn: readonly string[]; readonly phaseIds: ReadonlySet<string> },
  problems: Problem[],
): Record<string, AgentDefinition> {
  const agents: Record<string, AgentDefinition> = {};
  if (!isRecord(value)) {
    problems.push({
      path: 'agents',
      message: `must be a mapping of agent names to agents, got ${describeValue(value)}`,
    });
    return agents;
  }
  for (const [name, raw] of Object.entries(value)) {
    const path = fieldPath('agents', name);
    if (!PHASE_ID_PATTERN.test(name) || name.length > MAX_ID_LENGTH) {
      problems.push({
        path,
        message: `invalid agent name ${JSON.stringify(name)} (use at most ${MAX_ID_LENGTH} lowercase letters, digits, "_" and "-", starting with a letter or digit)`,
      });
      continue;
    }
    if (context.builtIn.includes(name)) {
      problems.push({ path, message: `"${name}" is a built-in agent; give the inline agent another name` });
      continue;
    }
    if (!isRecord(raw)) {
      problems.push({
        path,
        message: `an agent must be a mapping with at least system, got ${describeValue(raw)}`,
      });
      continue;
    }
    checkKnownFields(raw, AGENT_FIELDS, path, problems);
    const at = (key: string): string => fieldPath(path, key);
    let system = '';
    if (typeof raw.system === 'string' && raw.system.trim() !== '') system = raw.system;
    else
      problems.push({
        path: at('system'),
        message:
          raw.system === undefined
            ? 'missing required field (the system prompt: what the agent is and does)'
            : `must be non-empty text, got ${describeValue(raw.system)}`,
      });
    const agent: { -readonly [K in keyof AgentDefinition]: AgentDefinition[K] } = { system, tools: [] };
    if (raw.description !== undefined) {
      if (typeof raw.description === 'string') agent.description = raw.description;
      else
        problems.push({
          path: at('description'),
          message: `must be text, got ${describeValue(raw.description)}`,
        });
    }
    if (raw.model !== undefined) {
      const model = checkModelSetting(raw.model, at('model'), problems);
      if (model !== undefined) agent.model = model;
    }
    if (raw.recommended !== undefined) {
      const recommended = checkRecommended(raw.recommended, at('recommended'), problems);
      if (recommended !== undefined) agent.recommended = recommended;
    }
    if (raw.output !== undefined) {
      const output = checkJsonSchema(raw.output, at('output'), problems);
      if (output !== undefined) agent.output = output;
    }
    if (raw.reads !== undefined) {
      const reads = checkIdList(raw.reads, at('reads'), 'phase id', problems);
      for (const [index, id] of reads.entries()) {
        if (!context.phaseIds.has(id)) {
          const hint = suggest(id, [...context.phaseIds]);
          problems.push({
            path: indexPath(at('reads'), index),
            message: `unknown phase "${id}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`,
            ...hintFor(hint),
          });
        }
      }
      agent.reads = reads;
    }
    if (raw.tools !== undefined) {
      const tools = checkIdList(raw.tools, at('tools'), 'tool name', problems);
      for (const [index, tool] of tools.entries()) {
        if (!(AgentTools as readonly string[]).includes(tool)) {
          problems.push({
            path: indexPath(at('tools'), index),
            message: `unknown tool "${tool}" (expected ${listWords(AgentTools)})`,
          });
        }
      }
      agent.tools = tools as AgentTool[];
      if (agent.tools.includes('write_files') && agent.output !== undefined) {
        problems.push({
          path: at('output'),
          message:
            'an agent with the write_files tool produces a file tree (its files and a summary); it takes no output schema',
        });
      }
    }
    agents[name] = agent;
  }
  return agents;
}

function checkIdList(value: unknown, path: string, what: string, problems: Problem[]): string[] {
  if (!Array.isArray(value) || !value.every((entry): entry is string => typeof entry === 'string')) {
    problems.push({ path, message: `must be a list of ${what}s, got ${describeValue(value)}` });
    return [];
  }
  return [...new Set(value)];
}
