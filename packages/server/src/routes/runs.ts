/**
 * The runs API, run by run: `POST /api/runs` starts a run of a workflow, `GET /api/runs` pages
 * through them (newest first), `GET|PATCH|DELETE /api/runs/:id`, run control (pause, resume,
 * cancel), a failed run's retry from its last checkpoint, forks and budgets. A phase's decisions, retries and rewinds are in `run-phases.ts`.
 * Handlers parse with their route's schema, call the runs service, and answer; every change
 * answers the run's new view (201 for a new run).
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { errorResponses } from '../schemas/error.js';
import { runPageSchema } from '../schemas/run.js';
import {
  budgetBody,
  createRunBody,
  forkBody,
  listRunsQuery,
  reasonBody,
  renameBody,
  runParams,
} from '../schemas/run-requests.js';
import { createRunsService, type RunsServiceOptions } from '../runs/runs-service.js';
import { validationHook } from '../validation-hook.js';
import { asJson, jsonBody, jsonResponse, runErrors, runView, security } from './run-route-parts.js';
import { runPhaseRoutes } from './run-phases.js';

/** Options of {@link runRoutes}: see {@link RunsServiceOptions}. */
export type RunRoutesOptions = RunsServiceOptions;

const tags = ['runs'];

export const createRun = createRoute({
  method: 'post',
  path: '/api/runs',
  tags,
  summary: "Start a run of a workflow (workers execute it); inputs are checked against the workflow's schema",
  security,
  request: { body: jsonBody(createRunBody) },
  responses: { 201: jsonResponse(runView.content['application/json'].schema, 'The new run'), ...runErrors },
});

export const listRuns = createRoute({
  method: 'get',
  path: '/api/runs',
  tags,
  summary: 'Runs, newest first, a page at a time',
  security,
  request: { query: listRunsQuery },
  responses: { 200: jsonResponse(runPageSchema, 'A page of runs'), ...errorResponses(401, 422) },
});

export const getRun = createRoute({
  method: 'get',
  path: '/api/runs/{id}',
  tags,
  summary: 'A run: its phases, outputs, pending decisions and usage',
  security,
  request: { params: runParams },
  responses: { 200: runView, ...errorResponses(401, 404, 422) },
});

export const renameRun = createRoute({
  method: 'patch',
  path: '/api/runs/{id}',
  tags,
  summary: "Set the run's title",
  security,
  request: { params: runParams, body: jsonBody(renameBody) },
  responses: { 200: runView, ...runErrors },
});

export const deleteRun = createRoute({
  method: 'delete',
  path: '/api/runs/{id}',
  tags,
  summary: 'Delete a run with nothing running (cancel it first)',
  security,
  request: { params: runParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404, 409, 422) },
});

export function controlRoute(verb: 'pause' | 'resume' | 'cancel' | 'retry', summary: string) {
  return createRoute({
    method: 'post',
    path: `/api/runs/{id}/${verb}`,
    tags,
    summary,
    security,
    request: { params: runParams, body: jsonBody(reasonBody) },
    responses: { 200: runView, ...runErrors },
  });
}

export const forkRun = createRoute({
  method: 'post',
  path: '/api/runs/{id}/fork',
  tags,
  summary: "A new run that takes over this one's results up to `from` (all it can without)",
  security,
  request: { params: runParams, body: jsonBody(forkBody) },
  responses: { 201: jsonResponse(runView.content['application/json'].schema, 'The new run'), ...runErrors },
});

export const raiseBudget = createRoute({
  method: 'post',
  path: '/api/runs/{id}/budget',
  tags,
  summary: "Raise the run's budget, or a phase's; phases waiting on it run again",
  security,
  request: { params: runParams, body: jsonBody(budgetBody) },
  responses: { 200: runView, ...runErrors },
});

/** The runs routes, mounted behind the auth middleware. */
export function runRoutes(options: RunRoutesOptions): OpenAPIHono<AppEnv> {
  const runs = createRunsService(options);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(createRun, async (c) => {
    const body = c.req.valid('json');
    const { inputs, ...rest } = body;
    return c.json(
      await runs.create(c.get('principal'), {
        ...rest,
        ...(inputs === undefined ? {} : { inputs: asJson(inputs) }),
      }),
      201,
    );
  });

  app.openapi(listRuns, async (c) => c.json(await runs.list(c.get('principal'), c.req.valid('query')), 200));

  app.openapi(getRun, async (c) => c.json(await runs.get(c.get('principal'), c.req.valid('param').id), 200));

  app.openapi(renameRun, async (c) =>
    c.json(await runs.rename(c.get('principal'), c.req.valid('param').id, c.req.valid('json').title), 200),
  );

  app.openapi(deleteRun, async (c) => {
    await runs.remove(c.get('principal'), c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(
    controlRoute('pause', 'Pause the run: running attempts finish, nothing new starts'),
    async (c) => {
      const { reason } = c.req.valid('json');
      const request = { kind: 'pause' as const, ...(reason === undefined ? {} : { reason }) };
      return c.json(await runs.request(c.get('principal'), c.req.valid('param').id, request), 200);
    },
  );

  app.openapi(controlRoute('resume', 'Resume a paused run'), async (c) =>
    c.json(await runs.request(c.get('principal'), c.req.valid('param').id, { kind: 'resume' }), 200),
  );

  app.openapi(controlRoute('cancel', 'Cancel the run (final): running attempts are stopped'), async (c) => {
    const { reason } = c.req.valid('json');
    const request = { kind: 'cancel' as const, ...(reason === undefined ? {} : { reason }) };
    return c.json(await runs.request(c.get('principal'), c.req.valid('param').id, request), 200);
  });

  app.openapi(
    controlRoute(
      'retry',
      'Retry a failed run from its last checkpoint: the phases after the newest gates passed upstream of each failed phase run again (409 unless the run failed)',
    ),
    async (c) => {
      const { reason } = c.req.valid('json');
      const request = { kind: 'retry_run' as const, ...(reason === undefined ? {} : { reason }) };
      return c.json(await runs.request(c.get('principal'), c.req.valid('param').id, request), 200);
    },
  );

  app.openapi(forkRun, async (c) => {
    const { from, inputs } = c.req.valid('json');
    const request = {
      ...(from === undefined ? {} : { from }),
      ...(inputs === undefined ? {} : { inputs: asJson(inputs) }),
    };
    return c.json(await runs.fork(c.get('principal'), c.req.valid('param').id, request), 201);
  });

  app.openapi(raiseBudget, async (c) => {
    const { phase, ...limits } = c.req.valid('json');
    const request = {
      kind: 'budget' as const,
      ...(phase === undefined ? {} : { phaseId: phase }),
      ...limits,
    };
    return c.json(await runs.request(c.get('principal'), c.req.valid('param').id, request), 200);
  });

  app.route('/', runPhaseRoutes(runs));
  return app;
}
