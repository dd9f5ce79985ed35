/**
 * The handler of agent phases that name an inline agent (`agents:` in the workflow): it resolves
 * the model, builds the prompt, calls the model through the AI SDK — one request per call
 * (`maxRetries: 0`: retrying is the phase's policy) — and, when the phase has an output schema,
 * asks again with the exact validation errors and its previous answer until the answer fits or
 * the tries are used up.
 */
import {
  formatProblems,
  isBatonError,
  validateJson,
  type AgentDefinition,
  type PhaseHandler,
  type PhaseResult,
  type PhaseTask,
} from '@baton/engine';
import { abortedResult, createOutputPayload, jsonPayload, phaseFailure } from '@baton/runtime';
import {
  APICallError,
  generateText,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  type ModelMessage,
} from 'ai';
import { buildPrompt } from './prompt.js';
import { createLanguageModel, type ProviderOptions, type ResolvedModelSetting } from './providers.js';
import { resolveModelSetting } from './resolve-model.js';

/** Options of {@link createAgentHandler}. */
export interface AgentHandlerOptions extends ProviderOptions {
  /** Calls per attempt for an answer that fits the output schema (default 3). */
  readonly maxTries?: number;
}

/** Default of {@link AgentHandlerOptions.maxTries}. */
export const DEFAULT_MAX_TRIES = 3;

export function createAgentHandler(options: AgentHandlerOptions): PhaseHandler {
  return {
    kind: 'agent',
    async execute(task: PhaseTask, signal: AbortSignal): Promise<PhaseResult> {
      const name = task.phase.agent ?? '';
      const agent = task.workflow.agents?.[name];
      if (agent === undefined) {
        return phaseFailure('UNKNOWN_AGENT', `the workflow defines no agent "${name}"`, false);
      }
      let setting: ResolvedModelSetting;
      try {
        setting = resolveModelSetting(
          [task.phase.model, agent.model, task.workflow.model],
          `phase "${task.phaseId}" (agent "${name}")`,
        );
        return await run(task, agent, setting, options, signal);
      } catch (error) {
        if (signal.aborted) return abortedResult(signal);
        if (isBatonError(error)) return phaseFailure(error.code, error.message, false);
        throw error;
      }
    },
  };
}

async function run(
  task: PhaseTask,
  agent: AgentDefinition,
  setting: ResolvedModelSetting,
  options: AgentHandlerOptions,
  signal: AbortSignal,
): Promise<PhaseResult> {
  const model = createLanguageModel(setting, options);
  const { system, prompt } = buildPrompt(task, agent);
  const schema = task.phase.output;
  const messages: ModelMessage[] = [{ role: 'user', content: prompt }];
  const tries = options.maxTries ?? DEFAULT_MAX_TRIES;
  const common = {
    model,
    system,
    maxRetries: 0,
    abortSignal: signal,
    ...(setting.maxTokens === undefined ? {} : { maxOutputTokens: setting.maxTokens }),
    ...(setting.temperature === undefined ? {} : { temperature: setting.temperature }),
  };
  try {
    if (schema === undefined) {
      const result = await generateText({ ...common, messages });
      return { ok: true, output: createOutputPayload(result.text) };
    }
    let report = '';
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      try {
        const result = await generateText({
          ...common,
          messages,
          output: Output.object({
            schema: jsonSchema(schema as Parameters<typeof jsonSchema>[0], {
              validate: (value) => {
                const problems = validateJson(schema, value);
                return problems.length === 0
                  ? { success: true, value }
                  : { success: false, error: new Error(formatProblems(problems)) };
              },
            }),
          }),
        });
        return { ok: true, output: jsonPayload(result.output as never) };
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
    return providerFailure(error, setting);
  }
}

/** The validation errors of an answer that did not fit (or did not parse). */
function validationReport(error: NoObjectGeneratedError): string {
  let cause: unknown = error.cause;
  // The SDK wraps the validator's error (TypeValidationError → our Error).
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : error.message;
}

/**
 * A failed model call, saying which provider, model and status; retryable unless the provider
 * refused the request itself.
 */
function providerFailure(error: unknown, setting: ResolvedModelSetting): PhaseResult {
  const who = `${setting.provider} model "${setting.model}"`;
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
  const message = error instanceof Error ? error.message : String(error);
  return phaseFailure('PROVIDER_ERROR', `${who}: ${message}`, true);
}
