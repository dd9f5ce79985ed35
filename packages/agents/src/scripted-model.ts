/**
 * The `scripted` model provider: an offline {@link LanguageModelV3} that answers from the run's
 * fixtures, so that an inline agent with `model: {provider: scripted, model: <anything>}` goes
 * through the same SDK path as a real provider (prompt, output schema and re-asks, retries, usage)
 * without any network.
 *
 * Which answer a call gets:
 * - the fixtures file `phase.fixtures ?? workflow.fixtures`;
 * - its entry keyed by the phase id, else (a map's instance) the template's key
 *   (`tasks[*].code`), else the agent's name (one entry answers every phase of an agent);
 * - in it, `attempts["<attempt>"]` when present, else the entry itself;
 * - with `replies`, call n of the attempt (counting from 0) gets `replies[n]`; without, every call
 *   gets the answer itself.
 *
 * The answer: `output` (a string as is, any other JSON value as JSON text), `toolCalls` (the call
 * asks for those tools instead of answering text) or `fail` (an {@link APICallError} 500, as a
 * provider's server error). `delayMs` waits first, `usage` is the usage the call reports; both
 * are taken from the reply, else its attempt's answer, else the entry. No answer at all is a
 * `FIXTURE_MISSING` error saying which entry to add — never a silent fallback.
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { FixtureAnswer, FixtureUsage, PhaseTask } from '@baton/engine';
import { findFixtureEntry } from '@baton/runtime';
import { APICallError } from 'ai';
import { AgentsError, AgentsErrorCode } from './agents-error.js';

/** The provider name of scripted models. */
const SCRIPTED_PROVIDER = 'scripted';

/** Characters per `text-delta` part of a streamed answer. */
const DELTA_CHARS = 20;
/** Characters per token of the usage estimate. */
const CHARS_PER_TOKEN = 4;
/** The timestamp scripted responses report (always the same: runs must replay identically). */
const EPOCH = 0;

/** The scripted model for one attempt of `task` (a fresh instance per attempt: it counts the attempt's calls). */
export function createScriptedModel(task: PhaseTask, modelId: string): LanguageModelV3 {
  let calls = 0;
  /** Numbers the call (before anything can wait), finds its answer, waits, fails if it must. */
  const answerCall = async (options: LanguageModelV3CallOptions): Promise<ScriptedCall> => {
    const n = calls;
    calls += 1;
    const signal = options.abortSignal;
    signal?.throwIfAborted();
    const found = findReply(task, n);
    if (found.delayMs !== undefined && found.delayMs > 0) await wait(found.delayMs, signal);
    const { reply } = found;
    if (reply.fail !== undefined) {
      throw new APICallError({
        message: `scripted failure: ${reply.fail}`,
        url: `scripted:${found.source}`,
        requestBodyValues: { fixtures: found.file, answer: found.source },
        statusCode: 500,
        isRetryable: true,
      });
    }
    const content = contentOf(reply, n);
    const usage = found.usage ?? estimateUsage(options.prompt, content);
    return {
      n,
      source: found.source,
      file: found.file,
      content,
      usage: toUsage(usage),
      finishReason: content.some((part) => part.type === 'tool-call')
        ? { unified: 'tool-calls', raw: 'tool-calls' }
        : { unified: 'stop', raw: 'stop' },
      responseId: `scripted-${task.phaseId}-${task.attempt}-${n}`,
    };
  };

  return {
    specificationVersion: 'v3',
    provider: SCRIPTED_PROVIDER,
    modelId,
    supportedUrls: {},

    async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
      const call = await answerCall(options);
      return {
        content: call.content,
        finishReason: call.finishReason,
        usage: call.usage,
        warnings: [],
        request: { body: { fixtures: call.file, answer: call.source } },
        response: { id: call.responseId, modelId, timestamp: new Date(EPOCH) },
      };
    },

    async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
      const call = await answerCall(options);
      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'response-metadata', id: call.responseId, modelId, timestamp: new Date(EPOCH) },
      ];
      for (const part of call.content) {
        if (part.type === 'text') {
          const id = `text-${call.n}`;
          parts.push({ type: 'text-start', id });
          for (const delta of chunks(part.text, DELTA_CHARS)) parts.push({ type: 'text-delta', id, delta });
          parts.push({ type: 'text-end', id });
        } else if (part.type === 'tool-call') {
          parts.push(part);
        }
      }
      parts.push({ type: 'finish', usage: call.usage, finishReason: call.finishReason });
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
        request: { body: { fixtures: call.file, answer: call.source } },
      };
    },
  };
}

interface ScriptedCall {
  readonly n: number;
  /** Where the answer is written: `"draft".attempts["2"].replies[1]`. */
  readonly source: string;
  readonly file: string;
  readonly content: LanguageModelV3Content[];
  readonly usage: LanguageModelV3Usage;
  readonly finishReason: LanguageModelV3FinishReason;
  readonly responseId: string;
}

interface FoundReply {
  readonly reply: FixtureAnswer;
  readonly file: string;
  readonly source: string;
  readonly delayMs: number | undefined;
  readonly usage: FixtureUsage | undefined;
}

/** The answer to call `n` of the task's attempt; throws `FIXTURE_MISSING` when there is none. */
function findReply(task: PhaseTask, n: number): FoundReply {
  const { phaseId, attempt } = task;
  const agent = task.phase.agent;
  const what = `model call ${n} of phase "${phaseId}" attempt ${attempt}${agent === undefined ? '' : ` (agent "${agent}")`}`;
  const missing = (message: string, file?: string, key?: string): AgentsError =>
    new AgentsError(AgentsErrorCode.fixtureMissing, `no fixture for ${what}${message}`, {
      context: {
        phaseId,
        attempt,
        call: n,
        ...(file === undefined ? {} : { file }),
        ...(key === undefined ? {} : { key }),
      },
    });

  const found = findFixtureEntry(task, agent === undefined ? [] : [agent]);
  if (!found.found) {
    switch (found.reason) {
      case 'no-file':
        throw missing(
          `: neither the phase nor the workflow names a fixtures file — add "fixtures: <file>" to the ` +
            `workflow or the phase, with a "${phaseId}" entry`,
        );
      case 'not-loaded':
        throw missing(`: the fixtures file ${found.file} was not loaded — check that it exists`, found.file);
      case 'no-entry': {
        const alternatives = [
          ...(found.shared === undefined ? [] : [`"${found.shared}" for every element`]),
          ...(agent === undefined ? [] : [`"${agent}" for every phase of the agent`]),
        ];
        throw missing(
          ` in ${found.file} — add a "${phaseId}" entry ` +
            `${alternatives.length === 0 ? '' : `(or ${alternatives.join(', or ')}) `}` +
            `with "output", or "attempts: {${attempt}: …}"`,
          found.file,
        );
      }
    }
  }
  const { file, key, entry } = found;
  const perAttempt = entry.attempts?.[String(attempt)];
  const answer = perAttempt ?? entry;
  const where =
    perAttempt === undefined ? `the "${key}" entry` : `attempts["${attempt}"] of the "${key}" entry`;
  const path = `${JSON.stringify(key)}${perAttempt === undefined ? '' : `.attempts["${attempt}"]`}`;
  const inherited = <T>(pick: (a: FixtureAnswer) => T | undefined, reply?: FixtureAnswer): T | undefined =>
    (reply === undefined ? undefined : pick(reply)) ?? pick(answer) ?? pick(entry);

  if (answer.replies !== undefined) {
    const reply = answer.replies[n];
    if (reply === undefined) {
      const count = answer.replies.length;
      throw missing(
        ` in ${file} — the replies of ${where} answer calls 0 to ${count - 1} only: ` +
          `add replies[${n}] (the answer to call ${n}) to them`,
        file,
        key,
      );
    }
    if (!hasAnswer(reply)) {
      throw missing(
        ` in ${file} — replies[${n}] of ${where} has no "output", "fail" or "toolCalls": add one`,
        file,
        key,
      );
    }
    return {
      reply,
      file,
      source: `${path}.replies[${n}]`,
      delayMs: inherited((a) => a.delayMs, reply),
      usage: inherited((a) => a.usage, reply),
    };
  }
  if (!hasAnswer(answer)) {
    throw missing(
      ` in ${file} — ${where} has no answer for attempt ${attempt}: add "output" ` +
        `(or "fail", "toolCalls", "replies") to it, or "attempts: {${attempt}: …}"`,
      file,
      key,
    );
  }
  return {
    reply: answer,
    file,
    source: path,
    delayMs: inherited((a) => a.delayMs),
    usage: inherited((a) => a.usage),
  };
}

function hasAnswer(answer: FixtureAnswer): boolean {
  return answer.output !== undefined || answer.fail !== undefined || answer.toolCalls !== undefined;
}

/** The content of a reply: its tool calls, else its output as text. */
function contentOf(reply: FixtureAnswer, n: number): LanguageModelV3Content[] {
  if (reply.toolCalls !== undefined) {
    return reply.toolCalls.map((call, i) => ({
      type: 'tool-call',
      toolCallId: `call-${n}-${i}`,
      toolName: call.tool,
      input: JSON.stringify(call.input),
    }));
  }
  const output = reply.output ?? null;
  return [{ type: 'text', text: typeof output === 'string' ? output : JSON.stringify(output) }];
}

/** The usage estimate: 4 characters a token, at least 1 each way. */
function estimateUsage(
  prompt: LanguageModelV3Prompt,
  content: readonly LanguageModelV3Content[],
): FixtureUsage {
  let input = 0;
  for (const message of prompt) {
    if (message.role === 'system') {
      input += message.content.length;
      continue;
    }
    for (const part of message.content) if (part.type === 'text') input += part.text.length;
  }
  let output = 0;
  for (const part of content) {
    if (part.type === 'text') output += part.text.length;
    else if (part.type === 'tool-call') output += part.toolName.length + part.input.length;
  }
  return { inputTokens: tokens(input), outputTokens: tokens(output) };
}

function tokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN));
}

function toUsage(usage: FixtureUsage): LanguageModelV3Usage {
  return {
    inputTokens: { total: usage.inputTokens, noCache: usage.inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: usage.outputTokens, text: usage.outputTokens, reasoning: 0 },
  };
}

/** `text` in pieces of `size` characters (never splitting a character outside the BMP). */
function chunks(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < characters.length; i += size) pieces.push(characters.slice(i, i + size).join(''));
  return pieces;
}

/** Waits `ms`; an abort ends the wait, rejecting with the signal's reason (an `AbortError` by default). */
async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  await new Promise<void>((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  signal?.throwIfAborted();
}
