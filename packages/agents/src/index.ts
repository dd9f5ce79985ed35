/**
 * `@baton/agents`: the agent layer — model providers through the Vercel AI SDK, the agent phase
 * handler (prompt, typed outputs, budgets, ledger, interrupts), the offline `scripted` model,
 * record/replay cassettes and the installation config (see `docs/agents.md`).
 */
export { AgentsError, AgentsErrorCode, isAgentsError } from './agents-error.js';
export {
  createLanguageModel,
  environmentEndpoints,
  environmentKeys,
  isProviderConfigured,
  KEY_VARIABLES,
  noProviderConfigured,
  type KeyResolver,
  type ProviderEndpoints,
  type ProviderOptions,
  type ResolvedModelSetting,
} from './providers.js';
export {
  createAgentHandler,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_TRIES,
  type AgentHandlerOptions,
} from './agent-handler.js';
export { buildPrompt, type AgentPrompt } from './prompt.js';
export { DEFAULT_MAX_TOKENS, OFFLINE_MODEL, resolveModelSetting } from './resolve-model.js';
export {
  chooseModel,
  installationAgentModels,
  ModelSource,
  type AgentModelLevel,
  type AgentModelSettings,
  type ModelChoice,
} from './choose-model.js';
export { llmModeFromEnv, openCassette, type Cassette, type LlmMode } from './cassette.js';
export {
  CONFIG_FILE,
  loadInstallationConfig,
  parseInstallationConfig,
  type InstallationConfig,
} from './config.js';
export { costOf, type ModelPrice, type PriceTable } from './pricing.js';
export { createScriptedModel } from './scripted-model.js';
