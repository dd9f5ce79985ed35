/**
 * `/api/workflows`: the tenant's uploaded workflows and Baton's built-ins (`builtin: true`,
 * read-only); an upload of a built-in's id replaces the built-in for the tenant.
 *
 * - `GET /api/workflows` — the latest version of each, with its phase graph;
 * - `POST /api/workflows` — upload a definition (YAML or JSON, fixtures inline): 201 with the new
 *   version, or 200 with the latest when it is the same definition; 415 for another content type,
 *   422 `INVALID_WORKFLOW` with the problems `baton validate` reports;
 * - `GET /api/workflows/:id?version=` — one version (default the latest) with its definition and
 *   source (a built-in's: its definition with the fixtures inline); 404 `WORKFLOW_NOT_FOUND` for
 *   an id the tenant does not have and no built-in has.
 */
import type { BuiltinSteps } from '@baton/engine';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import type { WorkflowLibrary } from '../ports/workflow-catalog.js';
import { errorResponses } from '../schemas/error.js';
import { secured } from '../schemas/security.js';
import { workflowDetailSchema, workflowSummarySchema, workflowUploadContent } from '../schemas/workflow.js';
import { readUpload, uploadFormat } from '../workflows/read-upload.js';
import { workflowSummary } from '../workflows/workflow-summary.js';
import { checkHostTools, type HostToolPolicy } from '../host-tools.js';
import { MAX_INT32 } from '../schemas/integer.js';

export interface WorkflowRoutesOptions {
  readonly catalog: WorkflowLibrary;
  /** Who may upload workflows with tool phases (default `allow`; `baton serve` passes `socket`). */
  readonly hostTools?: HostToolPolicy;
  /** The builtin steps this server runs: an upload naming another is refused (422). Absent: not checked. */
  readonly builtinSteps?: BuiltinSteps;
}

export const listWorkflows = createRoute({
  method: 'get',
  path: '/api/workflows',
  tags: ['workflows'],
  summary: "The latest version of each of the tenant's workflows, and the built-ins",
  description:
    'Sorted by id. A built-in (`builtin: true`, `origin: "builtin"`) is listed unless the tenant uploaded a workflow of the same id, which takes its place.',
  security: secured,
  responses: {
    200: {
      description: 'The workflows, by id',
      content: { 'application/json': { schema: z.object({ workflows: z.array(workflowSummarySchema) }) } },
    },
    ...errorResponses(401),
  },
});

export const uploadWorkflow = createRoute({
  method: 'post',
  path: '/api/workflows',
  tags: ['workflows'],
  summary: 'Upload a workflow definition (the next version of its id)',
  description:
    'The body is the definition as YAML or JSON, self-contained: fixtures inline under `fixtures:`, never a path. ' +
    'An upload equal to the latest version of its id (definition and fixtures) stores nothing and answers that version with 200.',
  security: secured,
  request: { body: { required: true, content: workflowUploadContent } },
  responses: {
    201: {
      description: 'Stored as a new version',
      content: { 'application/json': { schema: workflowSummarySchema } },
    },
    200: {
      description: 'Equal to the latest version, which is answered; nothing stored',
      content: { 'application/json': { schema: workflowSummarySchema } },
    },
    ...errorResponses(401, 403, 413, 415, 422),
  },
});

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'release-notes' }),
});

export const getWorkflow = createRoute({
  method: 'get',
  path: '/api/workflows/{id}',
  tags: ['workflows'],
  summary: 'One version of a workflow, with its definition',
  security: secured,
  request: {
    params: idParam,
    query: z.object({
      version: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_INT32)
        .optional()
        .openapi({ param: { name: 'version', in: 'query' }, description: 'Default: the latest' }),
    }),
  },
  responses: {
    200: { description: 'The version', content: { 'application/json': { schema: workflowDetailSchema } } },
    ...errorResponses(401, 404, 422),
  },
});

/** The workflows routes, on `catalog`. */
export function workflowRoutes(options: WorkflowRoutesOptions): OpenAPIHono<AppEnv> {
  const { catalog } = options;
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(listWorkflows, async (c) => {
    const workflows = await catalog.list(c.get('principal').tenantId);
    return c.json({ workflows: workflows.map(workflowSummary) }, 200);
  });

  app.openapi(uploadWorkflow, async (c) => {
    const principal = c.get('principal');
    const format = uploadFormat(c.req.header('content-type'));
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const upload = await readUpload(bytes, format, principal.actor, options.builtinSteps);
    checkHostTools(options.hostTools ?? 'allow', principal, upload.workflow);
    const { created, workflow } = await catalog.create(principal.tenantId, upload);
    c.header('Location', `/api/workflows/${encodeURIComponent(workflow.id)}?version=${workflow.version}`);
    return created ? c.json(workflowSummary(workflow), 201) : c.json(workflowSummary(workflow), 200);
  });

  app.openapi(getWorkflow, async (c) => {
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('query');
    const workflow = await catalog.get(c.get('principal').tenantId, id, version);
    if (workflow === undefined) {
      throw new ApiError(
        ApiErrorCode.workflowNotFound,
        `no workflow "${id}"${version === undefined ? '' : ` version ${version}`} here — GET /api/workflows lists them`,
      );
    }
    // Plain JSON data (it came out of a jsonb column); its readonly engine type says nothing more.
    const definition = workflow.workflow as unknown as z.infer<typeof workflowDetailSchema>['definition'];
    return c.json({ ...workflowSummary(workflow), definition, source: workflow.source }, 200);
  });

  return app;
}
