/**
 * Model providers, always through the Vercel AI SDK (never hand-written HTTP): Anthropic,
 * DeepSeek, OpenAI (Chat Completions) and any OpenAI-compatible server (Ollama, vLLM, LM Studio,
 * llama.cpp). A provider's key comes from a {@link KeyResolver}, not from the environment
 * directly, so the server's per-tenant key store can answer later.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createDeepSeek } from '@ai-sdk/deepseek';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { ModelProvider, ModelSetting } from '@baton/engine';
import type { LanguageModel } from 'ai';
import { AgentsError, AgentsErrorCode } from './agents-error.js';

type ProviderName = ModelProvider;

/** A model setting resolved down to the provider and model to call (see `ModelSetting`). */
export type ResolvedModelSetting = ModelSetting & {
  readonly provider: ModelProvider;
  readonly model: string;
};

/** A provider's API key, or `undefined` when none is configured for it. */
export type KeyResolver = (provider: ProviderName) => string | undefined;

/** The environment variable that holds each hosted provider's key. */
export const KEY_VARIABLES = {
  anthropic: 'ANTHROPIC_API_KEY',
  deepseek: 'DEEPSEEK_API_KEY',
  openai: 'OPENAI_API_KEY',
  'openai-compatible': 'BATON_OPENAI_API_KEY',
} as const satisfies Partial<Record<ProviderName, string>>;

/** Keys from environment variables (`ANTHROPIC_API_KEY`, `DEEPSEEK_API_KEY`, `OPENAI_API_KEY`…). */
export function environmentKeys(env: NodeJS.ProcessEnv = process.env): KeyResolver {
  return (provider) => (provider === 'scripted' ? undefined : setting(env, KEY_VARIABLES[provider]));
}

/** An environment variable's value; unset and blank are alike. */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Base URLs of the providers' APIs; each defaults to the provider's own. */
export type ProviderEndpoints = Partial<Record<Exclude<ProviderName, 'scripted'>, string>>;

/**
 * Base URLs from the environment: `BATON_OPENAI_BASE_URL` (the OpenAI-compatible server, required
 * for that provider), and `BATON_ANTHROPIC_BASE_URL`, `BATON_DEEPSEEK_BASE_URL`,
 * `BATON_OPENAI_API_BASE_URL` to point a hosted provider at a proxy.
 */
export function environmentEndpoints(env: NodeJS.ProcessEnv = process.env): ProviderEndpoints {
  const variables = {
    'openai-compatible': 'BATON_OPENAI_BASE_URL',
    anthropic: 'BATON_ANTHROPIC_BASE_URL',
    deepseek: 'BATON_DEEPSEEK_BASE_URL',
    openai: 'BATON_OPENAI_API_BASE_URL',
  } as const;
  const endpoints: Record<string, string> = {};
  for (const [provider, variable] of Object.entries(variables)) {
    const value = setting(env, variable);
    if (value !== undefined) endpoints[provider] = value;
  }
  return endpoints;
}

/**
 * Whether `provider` can be called: a hosted provider has its key, an OpenAI-compatible server its
 * base URL; `scripted` always can.
 */
export function isProviderConfigured(
  provider: ProviderName,
  options: Pick<ProviderOptions, 'keys' | 'endpoints'>,
): boolean {
  if (provider === 'scripted') return true;
  if (provider === 'openai-compatible') return options.endpoints?.['openai-compatible'] !== undefined;
  return options.keys(provider) !== undefined;
}

/**
 * No provider can be called: no hosted provider has a key and no OpenAI-compatible server is set.
 * Then an agent no level names a model for runs offline, on its fixtures.
 */
export function noProviderConfigured(options: Pick<ProviderOptions, 'keys' | 'endpoints'>): boolean {
  const providers = Object.keys(KEY_VARIABLES) as (keyof typeof KEY_VARIABLES)[];
  return providers.every((provider) => !isProviderConfigured(provider, options));
}

/** What a person sets to configure `provider`: `set ANTHROPIC_API_KEY`. */
export function providerSetup(provider: ProviderName): string {
  if (provider === 'scripted') return 'nothing to set (it answers from fixtures)';
  if (provider === 'openai-compatible') return 'set BATON_OPENAI_BASE_URL';
  return `set ${KEY_VARIABLES[provider]}`;
}

/** What {@link createLanguageModel} needs besides the setting. */
export interface ProviderOptions {
  readonly keys: KeyResolver;
  readonly endpoints?: ProviderEndpoints;
  /** The fetch the SDK uses (a cassette recorder, a test's); the global one by default. */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * The SDK model for a setting. Fails with `PROVIDER_NOT_CONFIGURED` naming what to set when the
 * provider has no key (or, for an OpenAI-compatible server, no base URL) — never a silent
 * fallback to another provider.
 */
export function createLanguageModel(setting: ResolvedModelSetting, options: ProviderOptions): LanguageModel {
  const { provider, model } = setting;
  const baseURL = provider === 'scripted' ? undefined : options.endpoints?.[provider];
  const common = {
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const key = (): string => {
    const value = options.keys(provider);
    if (value !== undefined) return value;
    const variable = provider === 'scripted' ? undefined : KEY_VARIABLES[provider];
    throw new AgentsError(
      AgentsErrorCode.providerNotConfigured,
      `model "${model}" uses provider "${provider}", which has no API key: set ${variable ?? 'a key'} (or choose another provider in the phase's model setting)`,
    );
  };
  switch (provider) {
    case 'anthropic':
      return createAnthropic({ ...common, apiKey: key() })(model);
    case 'deepseek':
      return createDeepSeek({ ...common, apiKey: key() })(model);
    case 'openai':
      // Chat Completions: `openai(id)` would call the Responses API.
      return createOpenAI({ ...common, apiKey: key() }).chat(model);
    case 'openai-compatible': {
      if (baseURL === undefined) {
        throw new AgentsError(
          AgentsErrorCode.providerNotConfigured,
          `model "${model}" uses provider "openai-compatible", which has no server: set BATON_OPENAI_BASE_URL (e.g. http://localhost:11434/v1 for Ollama)`,
        );
      }
      const apiKey = options.keys(provider);
      return createOpenAICompatible({
        ...common,
        baseURL,
        name: 'openai-compatible',
        ...(apiKey === undefined ? {} : { apiKey }),
        supportsStructuredOutputs: true,
        includeUsage: true,
      })(model);
    }
    case 'scripted':
      throw new AgentsError(
        AgentsErrorCode.providerNotConfigured,
        `model "${model}" uses the scripted provider, which answers from fixtures, not through an SDK model`,
      );
  }
}
