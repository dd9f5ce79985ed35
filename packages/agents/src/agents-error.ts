/**
 * The agents package's errors. Also the entry `@baton/agents/errors`: what needs only the codes
 * (the CLI's exit-code table) loads them without the model providers and the AI SDK.
 */
import { BatonError, errorCodeGuard, type BatonErrorOptions, type ErrorCodeGuard } from '@baton/engine';

/**
 * Stable error codes of the agents package: configuration a person fixes, so the CLI exits 2 for
 * each — thrown before a run (`INVALID_CONFIG`, `INVALID_LLM_MODE`) or failing the phase that met
 * it (the others, never retried).
 */
export const AgentsErrorCode = {
  /** A model setting names a provider that has no key (or no server), or none is set: the message says what to set. */
  providerNotConfigured: 'PROVIDER_NOT_CONFIGURED',
  /** A scripted answer (the `scripted` model provider) has no fixture: the message says what entry to add. */
  fixtureMissing: 'FIXTURE_MISSING',
  /** `BATON_LLM` is not `live`, `record` or `replay`. */
  invalidLlmMode: 'INVALID_LLM_MODE',
  /** Replay found no recording of a model request in the cassette: the message names the request. */
  cassetteMiss: 'CASSETTE_MISS',
  /** A cassette file is not a Baton cassette (not JSON, another version): the message names it. */
  invalidCassette: 'INVALID_CASSETTE',
  /** `baton.config.yaml` is invalid; `problems` lists every problem. */
  invalidConfig: 'INVALID_CONFIG',
} as const;
export type AgentsErrorCode = (typeof AgentsErrorCode)[keyof typeof AgentsErrorCode];

/** An error of the agents package; a {@link BatonError}, so `isBatonError` accepts it too. */
export class AgentsError extends BatonError<AgentsErrorCode> {
  constructor(code: AgentsErrorCode, message: string, options?: BatonErrorOptions) {
    super(code, message, options);
    this.name = 'AgentsError';
  }
}

/** True when `value` is an agents error (with `code`, when given); checks the code, not the class. */
export const isAgentsError: ErrorCodeGuard<AgentsErrorCode> = errorCodeGuard(AgentsErrorCode);
