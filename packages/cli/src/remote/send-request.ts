/**
 * A person's request (`RunRequest`) sent to a server's run routes — the same request the CLI
 * records locally with `runRequestInput`, so both paths record the same input.
 */
import { decodeOutput, type RunRequest } from '@baton/runtime';
import type { RunInput } from '@baton/engine';
import type { BatonClient } from '@baton/client';

export async function sendRequest(client: BatonClient, runId: string, request: RunRequest): Promise<void> {
  const reason = 'reason' in request && request.reason !== undefined ? { reason: request.reason } : {};
  switch (request.kind) {
    case 'approve':
    case 'reject':
      await client.runs.decide(runId, request.phaseId, { decision: request.kind, ...reason });
      return;
    case 'request_changes':
      await client.runs.decide(runId, request.phaseId, {
        decision: 'request_changes',
        feedback: request.feedback,
        ...reason,
      });
      return;
    case 'edit':
      await client.runs.decide(runId, request.phaseId, {
        decision: 'edit',
        content: request.content,
        ...reason,
      });
      return;
    case 'submit':
      await client.runs.submit(runId, request.phaseId, { content: request.content, ...reason });
      return;
    case 'retry':
      await client.runs.retry(runId, request.phaseId, reason);
      return;
    case 'skip':
      await client.runs.skip(runId, request.phaseId, reason);
      return;
    case 'retry_run':
      await client.runs.retryRun(runId, reason);
      return;
    case 'rewind':
      await client.runs.rewind(runId, request.phaseId, {
        ...(request.inputs === undefined ? {} : { inputs: request.inputs }),
        ...reason,
      });
      return;
    case 'pause':
      await client.runs.pause(runId, reason);
      return;
    case 'cancel':
      await client.runs.cancel(runId, reason);
      return;
    case 'resume':
      await client.runs.resume(runId, {});
      return;
    case 'budget':
      await client.runs.budget(runId, {
        ...(request.phaseId === undefined ? {} : { phase: request.phaseId }),
        ...(request.tokens === undefined ? {} : { tokens: request.tokens }),
        ...(request.usd === undefined ? {} : { usd: request.usd }),
        ...reason,
      });
      return;
  }
}

/**
 * The request a decision input stands for (the gate prompt and `--auto` build inputs): its output
 * as the content a person would have sent.
 */
export function requestOfDecision(input: Extract<RunInput, { type: 'decide' }>): RunRequest {
  const reason = input.reason === undefined ? {} : { reason: input.reason };
  const decision = input.decision;
  switch (decision.kind) {
    case 'approve':
    case 'reject':
      return { kind: decision.kind, phaseId: input.phaseId, ...reason };
    case 'request_changes':
      return { kind: 'request_changes', phaseId: input.phaseId, feedback: decision.feedback, ...reason };
    case 'edit':
    case 'submit':
      return {
        kind: decision.kind,
        phaseId: input.phaseId,
        content: decodeOutput(decision.output.mediaType, decision.output.text),
        ...reason,
      };
  }
}
