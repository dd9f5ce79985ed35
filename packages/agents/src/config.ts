/**
 * The installation's configuration, `baton.config.yaml`: the default model, the governance
 * preamble of every agent, the price table, and the agent layer's limits. Found at
 * `$BATON_CONFIG`, else `./baton.config.yaml`; none is fine (every field has a default).
 *
 * ```yaml
 * model: { provider: anthropic, model: claude-sonnet-4-5, maxTokens: 4096 }
 * reviewModel: { provider: openai, model: gpt-4.1 }    # a reviewer on its author's model uses this
 * governance: Never invent facts. Cite the artifact you rely on.
 * prices:                                             # USD per million tokens
 *   anthropic/claude-sonnet-4-5: { input: 3, output: 15, cached: 0.3 }
 *   local-model: { input: 0, output: 0 }
 * agents:
 *   maxTries: 3
 *   callTimeout: 2m
 *   models:                                           # per agent, over the workflow's recommendation
 *     implementer: { provider: openai, model: gpt-4.1, maxTokens: 32000, callTimeout: 10m }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  checkModelSetting,
  formatProblems,
  MAX_ID_LENGTH,
  parseDuration,
  PHASE_ID_PATTERN,
  type ModelSetting,
  type Problem,
} from '@baton/engine';
import { parse } from 'yaml';
import { AgentsError, AgentsErrorCode } from './agents-error.js';
import type { ModelPrice, PriceTable } from './pricing.js';

export interface InstallationConfig {
  /**
   * Under every other level: phase > agent > workflow > `agentModels` > the agent's recommended
   * model > this > offline (see `choose-model.ts`).
   */
  readonly model?: ModelSetting;
  /** A reviewer whose model would be its author's calls this one instead (reviewer independence). */
  readonly reviewModel?: ModelSetting;
  /** Prepended to every agent's system prompt, before the workflow's own preamble. */
  readonly governance?: string;
  readonly prices: PriceTable;
  /** Calls per attempt for an answer that fits the output schema. */
  readonly maxTries?: number;
  /** How long one model call may take before it fails (retryable) as a timeout. */
  readonly callTimeoutMs?: number;
  /**
   * The installation's model setting per agent name (`agents.models`): under the workflow's own
   * settings, over the agent's recommended model and the installation's `model`.
   */
  readonly agentModels?: Readonly<Record<string, ModelSetting>>;
}

/** The file name looked for in the current directory. */
export const CONFIG_FILE = 'baton.config.yaml';

const FIELDS = ['model', 'reviewModel', 'governance', 'prices', 'agents'] as const;
const AGENT_FIELDS = ['maxTries', 'callTimeout', 'models'] as const;

/** An installation with no config file. */
export const EMPTY_CONFIG: InstallationConfig = { prices: {} };

/**
 * Reads the installation config: `$BATON_CONFIG` (which must exist), else `baton.config.yaml` in
 * `cwd` when there is one. Fails with `INVALID_CONFIG` listing every problem.
 */
export async function loadInstallationConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<{ readonly config: InstallationConfig; readonly path?: string }> {
  const explicit = env.BATON_CONFIG?.trim();
  const path = resolve(cwd, explicit === undefined || explicit === '' ? CONFIG_FILE : explicit);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (explicit === undefined || explicit === '')) {
      return { config: EMPTY_CONFIG };
    }
    throw new AgentsError(
      AgentsErrorCode.invalidConfig,
      `cannot read the config file ${path} (named by BATON_CONFIG): ${(error as Error).message}`,
    );
  }
  return { config: parseInstallationConfig(text, path), path };
}

/** Parses and validates the text of a config file (`source` names it in errors). */
export function parseInstallationConfig(text: string, source: string): InstallationConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new AgentsError(
      AgentsErrorCode.invalidConfig,
      `${source} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const problems: Problem[] = [];
  const config = validateConfig(raw ?? {}, problems);
  if (problems.length > 0) {
    throw new AgentsError(
      AgentsErrorCode.invalidConfig,
      `${source} is invalid:\n${formatProblems(problems)}`,
      {
        problems,
      },
    );
  }
  return config;
}

function validateConfig(raw: unknown, problems: Problem[]): InstallationConfig {
  if (!isRecord(raw)) {
    problems.push({ path: '', message: 'must be a mapping of settings (model, governance, prices, agents)' });
    return EMPTY_CONFIG;
  }
  unknownFields(raw, FIELDS, '', problems);
  const config: { -readonly [K in keyof InstallationConfig]: InstallationConfig[K] } = { prices: {} };
  if (raw.model !== undefined) config.model = checkModelSetting(raw.model, 'model', problems);
  if (raw.reviewModel !== undefined)
    config.reviewModel = checkModelSetting(raw.reviewModel, 'reviewModel', problems);
  if (raw.governance !== undefined) {
    if (typeof raw.governance === 'string' && raw.governance.trim() !== '')
      config.governance = raw.governance;
    else problems.push({ path: 'governance', message: 'must be non-empty text' });
  }
  if (raw.prices !== undefined) config.prices = checkPrices(raw.prices, problems);
  if (raw.agents !== undefined) {
    if (!isRecord(raw.agents)) {
      problems.push({
        path: 'agents',
        message: 'must be a mapping such as { maxTries: 3, callTimeout: 2m }',
      });
    } else {
      unknownFields(raw.agents, AGENT_FIELDS, 'agents', problems);
      const { maxTries, callTimeout, models } = raw.agents;
      if (models !== undefined) config.agentModels = checkAgentModels(models, problems);
      if (maxTries !== undefined) {
        if (typeof maxTries === 'number' && Number.isInteger(maxTries) && maxTries >= 1 && maxTries <= 10) {
          config.maxTries = maxTries;
        } else {
          problems.push({
            path: 'agents.maxTries',
            message: `must be a whole number from 1 to 10, got ${JSON.stringify(maxTries)}`,
          });
        }
      }
      if (callTimeout !== undefined) {
        const parsed =
          typeof callTimeout === 'string' || typeof callTimeout === 'number'
            ? parseDuration(callTimeout)
            : undefined;
        if (parsed?.ok === true && parsed.ms > 0) config.callTimeoutMs = parsed.ms;
        else
          problems.push({
            path: 'agents.callTimeout',
            message: `must be a duration such as 90s or 2m, got ${JSON.stringify(callTimeout)}`,
          });
      }
    }
  }
  return config;
}

/** `agents.models`: agent names (as workflows name them) to model settings. */
function checkAgentModels(raw: unknown, problems: Problem[]): Record<string, ModelSetting> {
  if (!isRecord(raw)) {
    problems.push({
      path: 'agents.models',
      message:
        'must map agent names to model settings, such as { implementer: { provider: anthropic, model: claude-opus-4-6 } }',
    });
    return {};
  }
  const models: Record<string, ModelSetting> = {};
  for (const [name, value] of Object.entries(raw)) {
    const path = `agents.models.${name}`;
    if (!PHASE_ID_PATTERN.test(name) || name.length > MAX_ID_LENGTH) {
      problems.push({
        path,
        message: `invalid agent name ${JSON.stringify(name)} (agents are named with at most ${MAX_ID_LENGTH} lowercase letters, digits, "_" and "-")`,
      });
      continue;
    }
    const setting = checkModelSetting(value, path, problems);
    if (setting !== undefined) models[name] = setting;
  }
  return models;
}

function checkPrices(raw: unknown, problems: Problem[]): PriceTable {
  if (!isRecord(raw)) {
    problems.push({
      path: 'prices',
      message: 'must map models to { input, output, cached? } in USD per million tokens',
    });
    return {};
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, value] of Object.entries(raw)) {
    const path = `prices.${model}`;
    if (!isRecord(value)) {
      problems.push({ path, message: 'must be { input, output, cached? } in USD per million tokens' });
      continue;
    }
    unknownFields(value, ['input', 'output', 'cached'], path, problems);
    const amount = (key: 'input' | 'output' | 'cached'): number | undefined => {
      const v = value[key];
      if (v === undefined) return undefined;
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
      problems.push({
        path: `${path}.${key}`,
        message: `must be a price of 0 or more (USD per million tokens), got ${JSON.stringify(v)}`,
      });
      return undefined;
    };
    const input = amount('input');
    const output = amount('output');
    const cached = amount('cached');
    if (value.input === undefined || value.output === undefined) {
      problems.push({ path, message: 'needs both "input" and "output" (USD per million tokens)' });
    }
    if (input !== undefined && output !== undefined) {
      prices[model] = { input, output, ...(cached === undefined ? {} : { cached }) };
    }
  }
  return prices;
}

function unknownFields(
  raw: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: Problem[],
) {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      problems.push({
        path: path === '' ? key : `${path}.${key}`,
        message: `unknown setting (expected ${known.join(', ')})`,
      });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
