/**
 * The response schemas of the runs API: a run's view (the snapshot `baton show --json` prints,
 * plus what the API adds), a page of runs, and a phase's model calls. Outputs and findings are
 * any JSON (`{}` in the document); everything around them is typed.
 */
import { z } from '@hono/zod-openapi';
import { RunStatus } from '@baton/engine';

const anyJson = z.unknown().openapi({ description: 'Any JSON value' });

const usageSchema = z
  .object({
    calls: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedTokens: z.number().int(),
    costUsd: z.number().nullable().openapi({ description: 'null when a call’s model has no price' }),
  })
  .openapi('Usage');

const phaseSchema = z
  .object({
    id: z.string(),
    status: z.string().openapi({ example: 'waiting_for_human' }),
    attempts: z.number().int(),
    output: anyJson.openapi({
      description: 'The accepted output, else the latest: text as a string, JSON as JSON; null when none',
    }),
    versions: z.array(z.object({ version: z.number().int(), attempt: z.number().int() })),
    elements: z.number().int().optional(),
    instanceOf: z.object({ map: z.string(), index: z.number().int() }).optional(),
    copiedFrom: z.object({ runId: z.string(), version: z.number().int().optional() }).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    waiting: z
      .object({
        reason: z.string(),
        source: z.string(),
        recommendation: z.object({ by: z.string(), verdict: z.string(), findings: anyJson }).optional(),
        feedback: z.string().optional().openapi({
          description:
            "A human phase asked again: a reviewer's findings on the last submission, or a person's change request",
        }),
      })
      .optional(),
    decision: z
      .object({
        decision: z.string(),
        by: z.string(),
        at: z.string(),
        reason: z.string().optional(),
        feedback: z.string().optional(),
      })
      .optional(),
    usage: usageSchema.extend({ provider: z.string(), model: z.string() }).optional(),
    warnings: z
      .array(z.object({ attempt: z.number().int(), code: z.string(), message: z.string() }))
      .optional(),
    lastActivityAt: z
      .string()
      .optional()
      .openapi({ description: 'A running attempt: when it last showed activity (ISO 8601)' }),
  })
  .openapi('Phase');

/** A run's status (the engine's `RunStatus`). */
const runStatusSchema = z.enum(RunStatus).openapi('RunStatus', { example: 'waiting' });

const pendingDecisionSchema = z
  .object({
    phaseId: z.string(),
    source: z.string().openapi({ example: 'gate' }),
    reason: z.string(),
    since: z.string(),
    decisions: z
      .array(z.enum(['approve', 'reject', 'request_changes', 'edit', 'submit', 'budget']))
      .openapi({ description: 'What answers it: POST …/decision, …/submit, or /budget' }),
  })
  .openapi('PendingDecision');

/** A run as the API shows it. */
export const runViewSchema = z
  .object({
    id: z.string().openapi({ example: 'gated-review-k3x9q2' }),
    workflow: z.string(),
    status: runStatusSchema,
    stage: z.string().nullable().openapi({
      description:
        "The run's stage: the label of the workflow's `stages:` that holds now; null when none does",
      example: 'spec_ready',
    }),
    reason: z.string().optional(),
    forkedFrom: z.object({ runId: z.string(), from: z.string().optional() }).optional(),
    usage: usageSchema,
    offline: z.literal(true).optional(),
    phases: z.array(phaseSchema),
    title: z.string().optional(),
    inputs: z.record(z.string(), anyJson),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    pendingDecisions: z.array(pendingDecisionSchema),
    lastEventId: z.string().openapi({ description: 'The sequence number of the run’s last event' }),
  })
  .openapi('Run');
export type RunView = z.infer<typeof runViewSchema>;
export type PendingDecision = z.infer<typeof pendingDecisionSchema>;

const runSummarySchema = z
  .object({
    id: z.string(),
    workflow: z.string(),
    status: runStatusSchema,
    stage: z.string().nullable().openapi({
      description:
        "The run's stage: the label of the workflow's `stages:` that holds now; null when none does",
      example: 'spec_ready',
    }),
    title: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('RunSummary');

export const runPageSchema = z
  .object({
    runs: z.array(runSummarySchema),
    nextCursor: z.string().optional().openapi({ description: 'Pass as `cursor` for the next page' }),
  })
  .openapi('RunPage');
export type RunPage = z.infer<typeof runPageSchema>;

const modelCallSchema = z
  .object({
    model: z.string(),
    provider: z.string(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedTokens: z.number().int(),
    costUsd: z.number().nullable(),
    latencyMs: z.number(),
    status: z.enum(['ok', 'error']),
    error: z.string().optional(),
    attempt: z.number().int(),
    at: z.string(),
  })
  .openapi('ModelCall');

export const modelCallsSchema = z.object({ calls: z.array(modelCallSchema) }).openapi('ModelCalls');
export type ModelCallsView = z.infer<typeof modelCallsSchema>;
