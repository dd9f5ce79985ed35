import { z } from '@hono/zod-openapi';

const graphSchema = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string(),
        kind: z.string().openapi({ example: 'agent' }),
        label: z.string().optional().openapi({ description: "The phase's description" }),
      }),
    ),
    edges: z.array(
      z.object({
        from: z.string().openapi({ description: 'The phase needed' }),
        to: z.string().openapi({ description: 'The phase that needs it' }),
      }),
    ),
  })
  .openapi('WorkflowGraph');

/** A stored version of a workflow, as lists and uploads answer it. */
export const workflowSummarySchema = z
  .object({
    id: z.string().openapi({ example: 'release-notes' }),
    version: z.number().int().openapi({ description: "The server's version number", example: 2 }),
    description: z.string().optional(),
    builtin: z.boolean().openapi({
      description:
        'A built-in workflow of Baton (read-only; upload a workflow of the same id to replace it for your tenant)',
    }),
    origin: z.enum(['tenant', 'builtin']).openapi({
      description: '`tenant`: uploaded by your tenant; `builtin`: built into Baton',
    }),
    phaseCount: z.number().int(),
    graph: graphSchema,
    createdAt: z.string().openapi({
      format: 'date-time',
      description: 'When it was uploaded; for a built-in, when its file was written',
    }),
    createdBy: z.string().openapi({ description: 'Who uploaded it; `baton` for a built-in' }),
  })
  .openapi('WorkflowSummary');

/** One version with its normalised definition and the text uploaded. */
export const workflowDetailSchema = workflowSummarySchema
  .extend({
    definition: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The normalised definition (every default filled in)' }),
    source: z.string().openapi({
      description:
        'The text as uploaded; for a built-in, its definition with the fixtures inline (a copy to change and upload)',
    }),
  })
  .openapi('WorkflowDetail');

/** The request body of `POST /api/workflows`, described per content type (read as text, not validated by a schema here). */
export const workflowUploadContent = {
  'application/yaml': {
    schema: { type: 'string' as const, description: 'The workflow definition as YAML (fixtures inline)' },
  },
  'application/x-yaml': { schema: { type: 'string' as const, description: 'Same as application/yaml' } },
  'text/yaml': { schema: { type: 'string' as const, description: 'Same as application/yaml' } },
  'application/json': {
    schema: {
      type: 'object' as const,
      description: 'The workflow definition as JSON (fixtures inline)',
      additionalProperties: true,
    },
  },
};
