/**
 * An agent's interrupt: instead of its artifact, the agent answers
 * `{"interrupt": {"reason": "...", "pauseRun": false}}` when it cannot go on without a person.
 * The phase then waits for a person with that reason; with `pauseRun` the whole run pauses too.
 */
import type { SuspendRequest } from '@baton/engine';

/** What the prompt tells every agent about interrupts. */
export const INTERRUPT_INSTRUCTIONS =
  'If you cannot go on without a decision from a person, answer only with the JSON ' +
  '{"interrupt": {"reason": "<your question>", "pauseRun": false}} (pauseRun: true stops the whole run).';

/** The interrupt in a parsed answer, or undefined when it is an ordinary answer. */
export function interruptOf(value: unknown): SuspendRequest | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'interrupt') return undefined;
  const interrupt = (value as { interrupt: unknown }).interrupt;
  if (typeof interrupt !== 'object' || interrupt === null) return undefined;
  const { reason, pauseRun } = interrupt as { reason?: unknown; pauseRun?: unknown };
  if (typeof reason !== 'string' || reason.trim() === '') return undefined;
  return { source: 'interrupt', reason: reason.trim(), ...(pauseRun === true ? { pauseRun: true } : {}) };
}

/** The interrupt in an answer's text (JSON, possibly in a code fence), if it is one. */
export function interruptInText(text: string): SuspendRequest | undefined {
  const trimmed = text.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n```$/, '$1');
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return interruptOf(JSON.parse(trimmed));
  } catch {
    return undefined;
  }
}
