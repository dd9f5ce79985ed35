/**
 * The request schemas of the runs API: bodies, queries and path parameters. Every object is
 * strict (an unknown field is a 422 naming it); a failed check is a 422 `INVALID_REQUEST` whose
 * problems name each field (`validation-hook.ts`).
 */
import { z } from '@hono/zod-openapi';
import { checkTitle, MAX_TITLE_LENGTH, RunStatus } from '@baton/engine';
import { MAX_INT32 } from './integer.js';

const reason = z.string().max(2_000).optional().openapi({ description: 'Why (recorded with it)' });
const runInputs = z
  .record(z.string(), z.unknown())
  .openapi({ description: "Run inputs, checked against the workflow's `inputs` schema" });
/**
 * A run's title, checked as the engine checks it (`checkTitle`): one line without control
 * characters, 1 to 200 characters (not UTF-16 units) once trimmed.
 */
const title = z
  .string()
  .superRefine((value, ctx) => {
    const checked = checkTitle(value);
    if ('problem' in checked) ctx.addIssue({ code: 'custom', message: checked.problem });
  })
  .openapi({
    description: `One line of 1 to ${MAX_TITLE_LENGTH} characters (trimmed), without control characters`,
    example: 'Release notes for 2.0',
  });
/** An output a person gives: a string is an output text, any other JSON value a JSON output. */
const content = z.unknown().openapi({
  description: 'The output: a string (JSON when the phase has an output schema and it parses), or JSON',
});

export const runParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'gated-review-k3x9q2' }),
});

export const phaseParams = runParams.extend({
  phase: z
    .string()
    .min(1)
    .openapi({ param: { name: 'phase', in: 'path' }, example: 'spec' }),
});

export const createRunBody = z
  .strictObject({
    workflow: z.string().min(1).openapi({ example: 'gated-review' }),
    version: z
      .number()
      .int()
      .positive()
      .max(MAX_INT32)
      .optional()
      .openapi({ description: 'Default: the latest' }),
    inputs: runInputs.optional(),
    title: title.optional(),
  })
  .openapi('CreateRun');

export const listRunsQuery = z.strictObject({
  status: z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]]).optional(),
  workflow: z.string().min(1).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const renameBody = z.strictObject({ title }).openapi('RenameRun');

export const reasonBody = z.strictObject({ reason }).openapi('Reason');

export const forkBody = z
  .strictObject({
    from: z.string().min(1).optional().openapi({ description: 'Run this phase and what follows again' }),
    inputs: runInputs.optional(),
  })
  .openapi('ForkRun');

export const budgetBody = z
  .strictObject({
    tokens: z.number().positive().optional(),
    usd: z.number().positive().optional(),
    phase: z.string().min(1).optional().openapi({ description: "A phase's own budget; the run's without" }),
    reason,
  })
  .superRefine((body, ctx) => {
    if (body.tokens === undefined && body.usd === undefined)
      ctx.addIssue({ code: 'custom', path: ['tokens'], message: 'give the new limit: tokens and/or usd' });
  })
  .openapi('RaiseBudget');

export const rewindBody = z.strictObject({ inputs: runInputs.optional(), reason }).openapi('Rewind');

export const decisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject', 'request_changes', 'edit']),
    feedback: z
      .string()
      .max(20_000)
      .optional()
      .openapi({ description: 'request_changes: what should change' }),
    content: content.optional(),
    reason,
  })
  .superRefine((body, ctx) => {
    const changes = body.decision === 'request_changes';
    if (changes && (body.feedback ?? '').trim() === '')
      ctx.addIssue({
        code: 'custom',
        path: ['feedback'],
        message: 'request_changes needs feedback: what should change',
      });
    if (!changes && body.feedback !== undefined)
      ctx.addIssue({ code: 'custom', path: ['feedback'], message: 'feedback is only for request_changes' });
    if (body.decision === 'edit' && body.content === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'edit needs content: the output as text or JSON',
      });
    if (body.decision !== 'edit' && body.content !== undefined)
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'content is only for edit' });
  })
  .openapi('Decision');

export const submitBody = z
  .strictObject({ content, reason })
  .superRefine((body, ctx) => {
    if (body.content === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'submit needs content: the output as text or JSON',
      });
  })
  .openapi('Submit');
