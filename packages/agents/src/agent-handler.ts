/**
 * The handler of agent phases that name an inline agent (`agents:` in the workflow). Per attempt:
 * choose the model (phase > agent > workflow > per-agent settings > the agent's recommendation >
 * `baton.config.yaml` > the offline default, see `choose-model.ts`), build
 * the prompt, then call the model — streamed, one request per call (`maxRetries: 0`: retrying is
 * the phase's policy), every call in the ledger — and, when the phase has an output schema, ask
 * again with the exact validation errors and the previous answer until the answer fits or the
 * tries are used up. Before each call the run's and the phase's budgets are checked (a call that
 * would cross one suspends the attempt); an answer that is an interrupt suspends it too.
 */
import {
  formatProblems,
  isBatonError,
  validateJson,
  WarningCode,
  type AgentDefinition,
  type BatonError,
  type AttemptContext,
  type JsonSchema,
  type PhaseHandler,
  type PhaseResult,
  type PhaseTask,
  type SuspendRequest,
} from '@baton/engine';
import { abortedResult, createOutputPayload, jsonPayload, phaseFailure } from '@baton/runtime';
import {
  APICallError,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  wrapLanguageModel,
  type LanguageModel,
  type ModelMessage,
} from 'ai';
import { AgentsError, AgentsErrorCode, isAgentsError } from './agents-error.js';
import { budgetStop, budgetWarnings, estimateTokens } from './budget-guard.js';
import type { Cassette, LlmMode } from './cassette.js';
import {
  chooseModelFor,
  installationAgentModels,
  type AgentModelSettings,
  type ModelChoice,
  type PhaseModelContext,
} from './choose-model.js';
import { EMPTY_CONFIG, type InstallationConfig } from './config.js';
import { interruptInText, interruptOf } from './interrupt.js';
import { callModel, CallTimeoutError, type ModelCallAnswer } from './model-call.js';
import { buildPrompt } from './prompt.js';
import {
  createLanguageModel,
  isProviderConfigured,
  providerSetup,
  type ProviderOptions,
  type ResolvedModelSetting,
} from './providers.js';
import { independentReviewer } from './reviewer-model.js';
import { createScriptedModel } from './scripted-model.js';
import { createAgentTools } from './tools.js';

/** Options of {@link createAgentHandler}. */
export interface AgentHandlerOptions extends ProviderOptions {
  /** The installation's settings (`baton.config.yaml`). */
  readonly config?: InstallationConfig;
  /** No provider is configured anywhere: a phase without a model uses the offline `scripted` one. */
  readonly offline?: boolean;
  /**
   * Per-agent model settings of whoever runs the workflow, over the agents' recommended models
   * (default: the installation's `agents.models` from `config`). A tenant's settings slot in by
   * returning theirs before the installation's.
   */
  readonly agentModels?: AgentModelSettings;
  /** Record or replay model calls through cassettes (`BATON_LLM`); live when absent. */
  readonly llm?: {
    readonly mode: Exclude<LlmMode, 'live'>;
    readonly cassetteFor: (task: PhaseTask) => Cassette;
  };
  /** The clock for latencies (default `Date.now`). */
  readonly now?: () => number;
}

/** Calls per attempt for an answer that fits the output schema, unless the config says otherwise. */
export const DEFAULT_MAX_TRIES = 3;
/** How long one call may take, unless the config says otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/**
 * The phase handler for `agent` phases that name an inline agent of the workflow (`agents:`); the
 * runtime registers it beside the tool, scripted and map handlers. Each attempt chooses the model
 * (phase > agent > workflow > `agentModels` > the agent's recommendation when its provider is
 * configured > `config` > offline `scripted`), builds the prompt (governance,
 * system, labelled artifacts, feedback and earlier attempts), checks the budgets before every call,
 * streams the answer as progress, records every call in the ledger and, for an agent with an
 * output schema, asks again with the validation errors up to `maxTries` times.
 *
 * It never throws for an expected failure: the attempt's result is a {@link PhaseResult} —
 * `UNKNOWN_AGENT` or a configuration code (`PROVIDER_NOT_CONFIGURED`, `FIXTURE_MISSING`,
 * `CASSETTE_MISS`, `INVALID_CASSETTE`) that no retry can mend, `PROVIDER_ERROR` (retryable for
 * 5xx, 408, 409, 429, timeouts and unreadable answers), `OUTPUT_SCHEMA` after the last try, a
 * suspension for an interrupt or a budget, or `ABORTED` when `signal` fires. Anything else it
 * throws (a bug, a store failure) reaches the runtime, which records `HANDLER_CRASHED`.
 */
export function createAgentHandler(options: AgentHandlerOptions): PhaseHandler {
  return {
    kind: 'agent',
    async execute(task: PhaseTask, signal: AbortSignal, context: AttemptContext): Promise<PhaseResult> {
      const name = task.phase.agent ?? '';
      const agent = task.workflow.agents?.[name];
      if (agent === undefined) {
        return phaseFailure('UNKNOWN_AGENT', `the workflow defines no agent "${name}"`, false);
      }
      try {
        return await runAttempt(task, agent, options, signal, context);
      } catch (error) {
        if (signal.aborted) return abortedResult(signal);
        if (isBatonError(error)) return configurationFailure(error);
        throw error;
      }
    },
  };
}

async function runAttempt(
  task: PhaseTask,
  agent: AgentDefinition,
  options: AgentHandlerOptions,
  signal: AbortSignal,
  context: AttemptContext,
): Promise<PhaseResult> {
  const config = options.config ?? EMPTY_CONFIG;
  const choosing = modelContext(options, config);
  const choice = await chooseModelFor(task, task.phase, choosing);
  if (choice.unusedRecommendation !== undefined && choice.source !== 'offline') {
    await context.warn(WarningCode.recommendedModelUnavailable, unusedRecommendationNote(task, choice));
  }
  const reviewer = await independentReviewer(task, choice, {
    ...(config.reviewModel === undefined ? {} : { reviewModel: config.reviewModel }),
    chooseFor: (phase) => chooseModelFor(task, phase, choosing).catch(() => undefined),
  });
  if (reviewer.warning !== undefined) await context.warn(WarningCode.reviewerSameModel, reviewer.warning);
  const setting = reviewer.setting;
  let model: LanguageModel;
  try {
    model = modelFor(task, setting, options);
  } catch (error) {
    throw withOrigin(error, choice);
  }
  const { tools, tree } = createAgentTools(task, agent, context);
  const hasTools = Object.keys(tools).length > 0;
  const { system, prompt } = buildPrompt(task, agent, config.governance);
  const schema = task.phase.output;
  const messages: ModelMessage[] = [{ role: 'user', content: prompt }];
  const tries = config.maxTries ?? DEFAULT_MAX_TRIES;
  const now = options.now ?? Date.now;
  const call = async (
    output?: Parameters<typeof callModel>[0]['output'],
  ): Promise<{ readonly stop: SuspendRequest } | { readonly answer: ModelCallAnswer }> => {
    // Usage is read (a query of the ledger) only when a budget applies: before the call and after.
    const budgeted =
      task.budgets === undefined ? undefined : { budgets: task.budgets, used: await context.usage() };
    if (budgeted !== undefined) {
      const chars = system.length + messages.reduce((n, m) => n + JSON.stringify(m.content).length, 0);
      const stop = budgetStop(
        budgeted.budgets,
        budgeted.used,
        { inputTokens: estimateTokens(chars), provider: setting.provider, model: setting.model },
        config.prices,
        task.phaseId,
      );
      if (stop !== undefined) return { stop };
    }
    try {
      const answer = await callModel({
        model,
        setting,
        agent: task.phase.agent ?? '',
        system,
        messages,
        ...(output === undefined ? {} : { output }),
        ...(hasTools ? { tools } : {}),
        signal,
        timeoutMs: setting.callTimeoutMs ?? config.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        prices: config.prices,
        context,
        now,
      });
      return { answer };
    } finally {
      if (budgeted !== undefined) {
        const after = await context.usage();
        for (const warning of budgetWarnings(budgeted.budgets, budgeted.used, after, task.phaseId)) {
          await context.warn(WarningCode.budgetWarning, warning);
        }
      }
    }
  };

  try {
    if (schema === undefined) {
      const result = await call();
      if ('stop' in result) return { ok: false, suspended: result.stop };
      const interrupt = interruptInText(result.answer.text);
      if (interrupt !== undefined) return { ok: false, suspended: interrupt };
      // An agent that writes files produces its tree, with its final words as the summary.
      if (tree !== undefined) return { ok: true, output: tree.payload(result.answer.text) };
      return { ok: true, output: createOutputPayload(result.answer.text) };
    }
    let report = '';
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      try {
        const result = await call(objectOutput(schema));
        if ('stop' in result) return { ok: false, suspended: result.stop };
        const interrupt = interruptOf(result.answer.output);
        if (interrupt !== undefined) return { ok: false, suspended: interrupt };
        return { ok: true, output: jsonPayload(result.answer.output as never) };
      } catch (error) {
        if (!NoObjectGeneratedError.isInstance(error)) throw error;
        report = validationReport(error);
        // Progressive context: the previous answer and exactly what is wrong with it.
        messages.push(
          { role: 'assistant', content: error.text ?? '' },
          {
            role: 'user',
            content: `Your answer does not match the required output schema:\n${report}\nAnswer again with the corrected JSON only.`,
          },
        );
      }
    }
    return phaseFailure(
      'OUTPUT_SCHEMA',
      `agent "${task.phase.agent}" gave no answer that fits the output schema in ${tries} tries; the last one: ${report}`,
      true,
    );
  } catch (error) {
    if (signal.aborted) return abortedResult(signal);
    if (isBatonError(error)) return configurationFailure(error);
    return providerFailure(error, setting);
  }
}

/** How the handler chooses models: the config, the per-agent settings, which providers are configured. */
function modelContext(options: AgentHandlerOptions, config: InstallationConfig): PhaseModelContext {
  return {
    config,
    agentModels: options.agentModels ?? installationAgentModels(config),
    offline: options.offline ?? false,
    // Replay answers from recordings, which need no key: the model is chosen as when recorded.
    configured: (provider) => options.llm?.mode === 'replay' || isProviderConfigured(provider, options),
  };
}

/** The warning of an attempt whose agent's recommended model was passed over for want of a key. */
function unusedRecommendationNote(task: PhaseTask, choice: ModelChoice): string {
  const unused = choice.unusedRecommendation!;
  return `agent "${task.phase.agent}" recommends ${unused.provider} "${unused.model}", which is not configured (${providerSetup(unused.provider)} to use it): it runs on ${choice.setting.provider} "${choice.setting.model}" from ${choice.origin}`;
}

/** A provider without its key, saying which level named the model, so a person knows what to change. */
function withOrigin(error: unknown, choice: ModelChoice): unknown {
  if (!isAgentsError(error) || error.code !== AgentsErrorCode.providerNotConfigured) return error;
  return new AgentsError(
    AgentsErrorCode.providerNotConfigured,
    `${error.message}; the model comes from ${choice.origin}`,
  );
}

/** The SDK model of the attempt: scripted (from fixtures) or a provider's, through a cassette when recording or replaying. */
function modelFor(
  task: PhaseTask,
  setting: ResolvedModelSetting,
  options: AgentHandlerOptions,
): LanguageModel {
  if (setting.provider === 'scripted') return createScriptedModel(task, setting.model);
  const llm = options.llm;
  if (llm === undefined) return createLanguageModel(setting, options);
  const base =
    llm.mode === 'replay'
      ? // Replay answers from the cassette: no key is needed and no request may leave.
        createLanguageModel(setting, {
          keys: (provider) => options.keys(provider) ?? 'replay-needs-no-key',
          endpoints: { 'openai-compatible': 'http://replay.invalid/v1', ...options.endpoints },
          fetch: () => Promise.reject(new Error('replay makes no HTTP requests')),
        })
      : createLanguageModel(setting, options);
  return wrapLanguageModel({
    model: base as Parameters<typeof wrapLanguageModel>[0]['model'],
    middleware: llm.cassetteFor(task).middleware(llm.mode),
  });
}

/** Structured output checked with Baton's validator; an interrupt passes so it can be seen. */
function objectOutput(schema: JsonSchema) {
  return Output.object({
    schema: jsonSchema(schema as Parameters<typeof jsonSchema>[0], {
      validate: (value) => {
        if (interruptOf(value) !== undefined) return { success: true, value };
        const problems = validateJson(schema, value);
        return problems.length === 0
          ? { success: true, value }
          : { success: false, error: new Error(formatProblems(problems)) };
      },
    }),
  });
}

/** The validation errors of an answer that did not fit (or did not parse). */
function validationReport(error: NoObjectGeneratedError): string {
  let cause: unknown = error.cause;
  // The SDK wraps the validator's error (TypeValidationError → our Error).
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : error.message;
}

/**
 * An agents error the attempt met — configuration a person fixes: no provider, no fixture, a
 * cassette that cannot answer — as a failed attempt with the error's code, never retried. Any other
 * Baton error (the store failing under the attempt's context) is thrown on: the run loop records
 * the attempt as `HANDLER_CRASHED`, retryable.
 */
function configurationFailure(error: BatonError<string>): PhaseResult {
  if (isAgentsError(error)) {
    switch (error.code) {
      case AgentsErrorCode.providerNotConfigured:
      case AgentsErrorCode.fixtureMissing:
      case AgentsErrorCode.cassetteMiss:
      case AgentsErrorCode.invalidCassette:
        return phaseFailure(error.code, error.message, false);
    }
  }
  throw error;
}

/**
 * A failed model call, saying which provider, model and status; retryable unless the provider
 * refused the request itself.
 */
function providerFailure(error: unknown, setting: ResolvedModelSetting): PhaseResult {
  const who = `${setting.provider} model "${setting.model}"`;
  if (error instanceof CallTimeoutError) {
    return phaseFailure('PROVIDER_ERROR', `${who}: timeout: ${error.message}`, true);
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    // A request the provider refused (4xx) fails for good, except a timeout, conflict or rate
    // limit; a server error or an answer it could not read (even with 200) is worth another try.
    const refused = status !== undefined && status >= 400 && status < 500;
    const retryable = !refused || status === 408 || status === 409 || status === 429;
    const detail = error.message.split('\n')[0] ?? '';
    return phaseFailure(
      'PROVIDER_ERROR',
      `${who}: ${status === undefined ? 'no response' : `HTTP ${status}`}: ${detail}`,
      retryable,
    );
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return phaseFailure('PROVIDER_ERROR', `${who}: the answer could not be read: ${message}`, true);
}
