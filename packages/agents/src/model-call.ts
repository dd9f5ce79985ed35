/**
 * One model call as the agent layer makes it: streamed (partial text and objects go to the
 * attempt's progress, throttled), one request (`maxRetries: 0`: retrying is the phase's policy),
 * bounded by a call timeout, and recorded in the ledger — each request the SDK sends is one row
 * with its tokens, cost, latency and outcome.
 */
import type { AttemptContext, JsonValue, ModelCallRecord } from '@baton/engine';
import {
  NoObjectGeneratedError,
  parsePartialJson,
  generateText,
  stepCountIs,
  streamText,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  type ToolSet,
} from 'ai';
import { costOf, type PriceTable } from './pricing.js';
import { throttleProgress } from './progress-throttle.js';
import type { ResolvedModelSetting } from './providers.js';

/** What one call needs. */
export interface ModelCallRequest {
  readonly model: LanguageModel;
  readonly setting: ResolvedModelSetting;
  readonly agent: string;
  readonly system: string;
  readonly messages: readonly ModelMessage[];
  /** The agent's tools; the call then runs up to {@link MAX_TOOL_STEPS} requests (tool loop). */
  readonly tools?: ToolSet;
  /** The structured output the call asks for (`Output.object(...)`), if any. */
  readonly output?: Parameters<typeof streamText>[0]['output'];
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly prices: PriceTable;
  readonly context: AttemptContext;
  readonly now: () => number;
}

/** The call's answer: its text and, when structured output was asked for, the parsed value. */
export interface ModelCallAnswer {
  readonly text: string;
  readonly output?: unknown;
}

/** Requests one call may make when the agent uses tools (each tool round trip is one). */
const MAX_TOOL_STEPS = 20;

/** A call that got no answer within its timeout. */
export class CallTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000}s`);
    this.name = 'CallTimeoutError';
  }
}

/**
 * Makes the call. Throws what the SDK throws (an `APICallError`, a `NoObjectGeneratedError` for
 * an answer that does not fit, a stream error), or {@link CallTimeoutError}; every request is in
 * the ledger before it returns or throws.
 */
export async function callModel(request: ModelCallRequest): Promise<ModelCallAnswer> {
  const { setting, context, now } = request;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  const started = now();
  /** Each request the SDK sent (one per step), as it finished: its usage and when. */
  const steps: { readonly usage: LanguageModelUsage; readonly at: number }[] = [];
  /** How many steps had finished when the call failed: later ones belong to the failure. */
  let failedAtStep: number | undefined;
  const row = (
    usage: LanguageModelUsage | undefined,
    from: number,
    at: number,
    error?: string,
  ): Omit<ModelCallRecord, 'runId' | 'phaseId' | 'attempt'> => {
    const tokens = {
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedTokens: usage?.inputTokenDetails?.cacheReadTokens ?? usage?.cachedInputTokens ?? 0,
    };
    return {
      agent: request.agent,
      provider: setting.provider,
      model: setting.model,
      ...tokens,
      costUsd: costOf(request.prices, setting.provider, setting.model, tokens),
      latencyMs: Math.max(0, at - from),
      status: error === undefined ? 'ok' : 'error',
      ...(error === undefined ? {} : { error }),
      at,
    };
  };
  /** Writes the ledger rows: one per step that succeeded, one for the request that failed. */
  const recordAll = async (error?: unknown) => {
    const okSteps = error === undefined ? steps.length : Math.min(failedAtStep ?? steps.length, steps.length);
    let from = started;
    for (const step of steps.slice(0, okSteps)) {
      await context.recordModelCall(row(step.usage, from, step.at));
      from = step.at;
    }
    if (error === undefined) return;
    const failing = steps[okSteps];
    const message = asError(error).message.split('\n')[0] ?? '';
    await context.recordModelCall(row(failing?.usage, from, failing?.at ?? now(), message));
  };

  let failure: unknown;
  const progress = throttleProgress((update) => context.progress(update), now);
  let answer: { text: string; output?: unknown } | undefined;
  let unfit: NoObjectGeneratedError | undefined;
  const common = {
    model: request.model,
    system: request.system,
    messages: [...request.messages],
    maxRetries: 0,
    abortSignal: signal,
    ...(setting.maxTokens === undefined ? {} : { maxOutputTokens: setting.maxTokens }),
    ...(setting.temperature === undefined ? {} : { temperature: setting.temperature }),
    ...(request.output === undefined ? {} : { output: request.output }),
    ...(request.tools === undefined ? {} : { tools: request.tools, stopWhen: stepCountIs(MAX_TOOL_STEPS) }),
    onStepFinish: (step: { readonly usage: LanguageModelUsage }) => {
      steps.push({ usage: step.usage, at: now() });
    },
  };
  try {
    if (setting.stream === false) {
      // The whole answer in one response per request: no progress to show while it is written.
      try {
        const result = await generateText(common);
        answer = { text: result.text, ...(request.output === undefined ? {} : { output: result.output }) };
      } catch (error) {
        if (!NoObjectGeneratedError.isInstance(error)) throw error;
        unfit = error;
      }
      await recordAll();
      if (unfit !== undefined) throw unfit;
      return answer!;
    }
    const result = streamText({
      ...common,
      onError: ({ error }) => {
        failure ??= error;
        failedAtStep ??= steps.length;
      },
    });
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type !== 'text-delta') continue;
      text += part.text;
      const update: { text: string; object?: JsonValue; outputTokens: number } = {
        text,
        outputTokens: Math.ceil(text.length / 4),
      };
      if (request.output !== undefined) {
        const partial = await parsePartialJson(text);
        if (partial.value !== undefined) update.object = partial.value as JsonValue;
      }
      progress.push(update);
    }
    progress.flush();
    if (failure !== undefined) throw asError(failure);
    answer = { text: await result.text };
    if (request.output !== undefined) {
      // An answer that was read but does not fit the schema is still a successful request.
      try {
        answer.output = await result.output;
      } catch (error) {
        if (!NoObjectGeneratedError.isInstance(error)) throw error;
        unfit = error;
      }
    }
  } catch (error) {
    if (error === unfit) throw error;
    const cause = failure ?? error;
    const thrown =
      timeout.aborted && !request.signal.aborted ? new CallTimeoutError(request.timeoutMs) : cause;
    failedAtStep ??= steps.length;
    await recordAll(thrown);
    throw asError(thrown);
  }
  await recordAll();
  if (unfit !== undefined) throw unfit;
  return answer;
}

/** What was thrown, as an Error (the SDK's stream errors may be plain values). */
function asError(value: unknown): Error {
  return value instanceof Error
    ? value
    : new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
