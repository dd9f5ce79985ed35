/**
 * Fixtures: the scripted answers an offline (`scripted`) agent or model gives, per phase and
 * attempt, read from the fixtures files a workflow names.
 */
import type { JsonValue } from './definitions.js';

/**
 * Scripted answers for one phase: a default answer and/or answers per attempt number.
 * `output` is the phase's output (a string is text, anything else is JSON); `fail` fails the attempt
 * with that message; `delayMs` waits before answering.
 *
 * The `scripted` model provider (an inline agent with `model: {provider: scripted}`) answers each
 * model call from the same answers, and also reads `replies`, `toolCalls` and `usage`.
 */
export interface FixtureAnswer {
  readonly output?: JsonValue;
  readonly fail?: string;
  readonly delayMs?: number;
  /**
   * Scripted model: the answers to the consecutive model calls of one attempt (call 0, 1, 2…,
   * e.g. an answer that does not fit the output schema, then one that does); a call beyond the
   * list has no fixture. Without `replies`, every call of the attempt gets this answer.
   */
  readonly replies?: readonly FixtureAnswer[];
  /** Scripted model: the call answers with these tool calls instead of text. */
  readonly toolCalls?: readonly FixtureToolCall[];
  /** Scripted model: the tokens the call reports (default: estimated from the characters, 4 a token). */
  readonly usage?: FixtureUsage;
}
/** A tool call a scripted model answers with: the tool's name and its input. */
export interface FixtureToolCall {
  readonly tool: string;
  readonly input: JsonValue;
}
/** The usage a scripted model call reports. */
export interface FixtureUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}
export interface FixtureEntry extends FixtureAnswer {
  readonly attempts?: Readonly<Record<string, FixtureAnswer>>;
}
/** A fixtures file's content: entries keyed by phase id. */
export type FixtureFile = Readonly<Record<string, FixtureEntry>>;
/** Every fixtures file a workflow uses, keyed by the path written in the workflow. */
export type FixtureSet = Readonly<Record<string, FixtureFile>>;
