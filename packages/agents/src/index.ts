/**
 * `@baton/agents`: the agent layer — model providers through the Vercel AI SDK (see
 * `docs/agents-plan.md` for what is built and what follows).
 */
export {
  createLanguageModel,
  environmentEndpoints,
  environmentKeys,
  KEY_VARIABLES,
  type KeyResolver,
  type ProviderEndpoints,
  type ProviderOptions,
  type ResolvedModelSetting,
} from './providers.js';
export { createAgentHandler, DEFAULT_MAX_TRIES, type AgentHandlerOptions } from './agent-handler.js';
export { buildPrompt, type AgentPrompt } from './prompt.js';
export { DEFAULT_MAX_TOKENS, resolveModelSetting } from './resolve-model.js';
