/**
 * The runs API, phase by phase: a person's decision on a phase waiting for them
 * (`…/decision`, `…/submit`), retrying or skipping a phase that stopped, rewinding to a phase, and
 * a phase's model calls. A phase the run does not have is 404 `PHASE_NOT_FOUND`; a request the
 * phase cannot take now is 409 `INVALID_TRANSITION`, saying what the phase is doing.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { JsonValue } from '@baton/engine';
import type { RunRequest } from '@baton/runtime';
import type { AppEnv } from '../app-env.js';
import { errorResponses } from '../schemas/error.js';
import { modelCallsSchema } from '../schemas/run.js';
import { decisionBody, phaseParams, reasonBody, rewindBody, submitBody } from '../schemas/run-requests.js';
import type { RunsService } from '../runs/runs-service.js';
import { validationHook } from '../validation-hook.js';
import { asJson, jsonBody, jsonResponse, runErrors, runView, security } from './run-route-parts.js';

const tags = ['runs'];

export function stoppedPhaseRoute(verb: 'retry' | 'skip', summary: string) {
  return createRoute({
    method: 'post',
    path: `/api/runs/{id}/phases/{phase}/${verb}`,
    tags,
    summary,
    security,
    request: { params: phaseParams, body: jsonBody(reasonBody) },
    responses: { 200: runView, ...runErrors },
  });
}

export const rewind = createRoute({
  method: 'post',
  path: '/api/runs/{id}/phases/{phase}/rewind',
  tags,
  summary: 'Run the phase and everything after it again, optionally with changed run inputs',
  security,
  request: { params: phaseParams, body: jsonBody(rewindBody) },
  responses: { 200: runView, ...runErrors },
});

export const decide = createRoute({
  method: 'post',
  path: '/api/runs/{id}/phases/{phase}/decision',
  tags,
  summary: 'Decide on a phase waiting for a person: approve, reject, request changes, or edit its output',
  security,
  request: { params: phaseParams, body: jsonBody(decisionBody) },
  responses: { 200: runView, ...runErrors },
});

export const submit = createRoute({
  method: 'post',
  path: '/api/runs/{id}/phases/{phase}/submit',
  tags,
  summary: "Give a human phase's output (or answer an agent that asked)",
  security,
  request: { params: phaseParams, body: jsonBody(submitBody) },
  responses: { 200: runView, ...runErrors },
});

export const calls = createRoute({
  method: 'get',
  path: '/api/runs/{id}/phases/{phase}/calls',
  tags,
  summary: "The phase's model calls over all its attempts, oldest first",
  security,
  request: { params: phaseParams },
  responses: { 200: jsonResponse(modelCallsSchema, 'The calls'), ...errorResponses(401, 404, 422) },
});

function withReason(reason: string | undefined): { reason?: string } {
  return reason === undefined ? {} : { reason };
}

/** The per-phase routes of the runs API, on the runs service of `runRoutes`. */
export function runPhaseRoutes(runs: RunsService): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  for (const [verb, summary] of [
    ['retry', 'Run a failed, rejected or cancelled phase again (a new attempt)'],
    ['skip', 'Skip a failed, rejected or cancelled phase: what needs it runs without its output'],
  ] as const) {
    app.openapi(stoppedPhaseRoute(verb, summary), async (c) => {
      const { id, phase } = c.req.valid('param');
      const request = { kind: verb, phaseId: phase, ...withReason(c.req.valid('json').reason) };
      return c.json(await runs.request(c.get('principal'), id, request), 200);
    });
  }

  app.openapi(rewind, async (c) => {
    const { id, phase } = c.req.valid('param');
    const { inputs, reason } = c.req.valid('json');
    const request: RunRequest = {
      kind: 'rewind',
      phaseId: phase,
      ...(inputs === undefined ? {} : { inputs: asJson(inputs) }),
      ...withReason(reason),
    };
    return c.json(await runs.request(c.get('principal'), id, request), 200);
  });

  app.openapi(decide, async (c) => {
    const { id, phase } = c.req.valid('param');
    const body = c.req.valid('json');
    const reason = withReason(body.reason);
    let request: RunRequest;
    if (body.decision === 'request_changes')
      request = { kind: 'request_changes', phaseId: phase, feedback: body.feedback ?? '', ...reason };
    else if (body.decision === 'edit')
      request = { kind: 'edit', phaseId: phase, content: body.content as JsonValue, ...reason };
    else request = { kind: body.decision, phaseId: phase, ...reason };
    return c.json(await runs.request(c.get('principal'), id, request), 200);
  });

  app.openapi(submit, async (c) => {
    const { id, phase } = c.req.valid('param');
    const body = c.req.valid('json');
    const request: RunRequest = {
      kind: 'submit',
      phaseId: phase,
      content: body.content as JsonValue,
      ...withReason(body.reason),
    };
    return c.json(await runs.request(c.get('principal'), id, request), 200);
  });

  app.openapi(calls, async (c) => {
    const { id, phase } = c.req.valid('param');
    return c.json(await runs.calls(c.get('principal'), id, phase), 200);
  });

  return app;
}
