/**
 * A person's request about a run — a decision on a waiting phase, a retry, skip or rewind of a
 * phase, a retry of a failed run from its last checkpoint, pausing, resuming or cancelling the run, raising a budget — as plain values, and the
 * engine input it becomes. `baton approve|…|budget` and the HTTP API build their inputs here, so
 * both record exactly the same thing; each parses its own flags or body first.
 */
import { BatonError, ErrorCode, type JsonValue, type RunInput, type RunState } from '@baton/engine';
import { createOutputPayload, jsonPayload } from '../output-payload.js';
import { checkChangedInputs, inputsOrThrow } from './run-inputs-check.js';

/** A decision on a phase waiting for a person (the engine's `decide` kinds). */
export type DecisionRequestKind = 'approve' | 'reject' | 'request_changes' | 'edit' | 'submit';

/** What a person asks of a run. `reason` is recorded with it (why). */
export type RunRequest =
  | { readonly kind: 'approve' | 'reject'; readonly phaseId: string; readonly reason?: string }
  | {
      readonly kind: 'request_changes';
      readonly phaseId: string;
      /** What should change: the phase runs again with it. */
      readonly feedback: string;
      readonly reason?: string;
    }
  | {
      readonly kind: 'edit' | 'submit';
      readonly phaseId: string;
      /**
       * The output: a string is an output text (JSON when it parses as JSON and the phase has an
       * output schema, or when it is an object or array); any other JSON value is a JSON output.
       */
      readonly content: JsonValue;
      readonly reason?: string;
    }
  | { readonly kind: 'retry' | 'skip'; readonly phaseId: string; readonly reason?: string }
  | {
      readonly kind: 'rewind';
      readonly phaseId: string;
      /** Run inputs to change; with the run's others they must match the workflow's schema. */
      readonly inputs?: Readonly<Record<string, JsonValue>>;
      readonly reason?: string;
    }
  /** Retry a failed run from its last checkpoint (the engine's `retry_run`). */
  | { readonly kind: 'retry_run'; readonly reason?: string }
  | { readonly kind: 'pause' | 'cancel'; readonly reason?: string }
  | { readonly kind: 'resume' }
  | {
      readonly kind: 'budget';
      /** A phase's own budget; the run's when absent. */
      readonly phaseId?: string;
      readonly tokens?: number;
      readonly usd?: number;
      readonly reason?: string;
    };

/**
 * The engine input of `request`, recorded as done `by` someone, for the run `state` (it gives an
 * output's expected kind and the run's inputs and schema). The engine still decides whether the
 * run or phase can take it (`INVALID_TRANSITION`, `PHASE_NOT_FOUND`, an output off its schema).
 *
 * Throws `BAD_REQUEST` for a change request without feedback or a budget without a limit, and
 * `INVALID_INPUT` (its problems naming each field) for rewind inputs that do not match the schema.
 */
export function runRequestInput(state: RunState, request: RunRequest, by: string): RunInput {
  const reason = 'reason' in request && request.reason !== undefined ? { reason: request.reason } : {};
  switch (request.kind) {
    case 'approve':
    case 'reject':
      return { type: 'decide', phaseId: request.phaseId, decision: { kind: request.kind }, by, ...reason };
    case 'request_changes': {
      const feedback = request.feedback.trim();
      if (feedback === '')
        throw new BatonError(ErrorCode.badRequest, 'the feedback must say what should change');
      return {
        type: 'decide',
        phaseId: request.phaseId,
        decision: { kind: 'request_changes', feedback },
        by,
        ...reason,
      };
    }
    case 'edit':
    case 'submit': {
      const expectJson = state.definitions[request.phaseId]?.output !== undefined;
      const output =
        typeof request.content === 'string'
          ? createOutputPayload(request.content, { expectJson })
          : jsonPayload(request.content);
      return {
        type: 'decide',
        phaseId: request.phaseId,
        decision: { kind: request.kind, output },
        by,
        ...reason,
      };
    }
    case 'retry':
    case 'skip':
      return { type: request.kind, phaseId: request.phaseId, by, ...reason };
    case 'rewind': {
      const changed = inputsOrThrow(
        checkChangedInputs(state.workflow.inputs, state.inputs, request.inputs ?? {}),
      );
      return {
        type: 'rewind',
        phaseId: request.phaseId,
        by,
        ...reason,
        ...(Object.keys(changed).length > 0 ? { inputs: changed } : {}),
      };
    }
    case 'retry_run':
      return { type: 'retry_run', by, ...reason };
    case 'pause':
    case 'cancel':
      return { type: request.kind, by, ...reason };
    case 'resume':
      return { type: 'resume', by };
    case 'budget':
      if (request.tokens === undefined && request.usd === undefined)
        throw new BatonError(ErrorCode.badRequest, 'give the new limit: tokens and/or usd');
      return {
        type: 'raise_budget',
        ...(request.phaseId === undefined ? {} : { phaseId: request.phaseId }),
        budget: {
          ...(request.tokens === undefined ? {} : { tokens: request.tokens }),
          ...(request.usd === undefined ? {} : { usd: request.usd }),
        },
        by,
        ...reason,
      };
  }
}
