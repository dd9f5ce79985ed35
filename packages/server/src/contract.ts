/**
 * `@baton/server/contract`: the API's routes as types, for checking the client package against
 * them at compile time. `ApiRoutes` names every route of the OpenAPI document by
 * `METHOD /path` (as the document spells it) and gives its declaration (`createRoute`), from which
 * `RequestBody`, `RequestQuery` and `ResponseBody` read what is sent and answered. Types only:
 * importing it (`import type`) loads nothing.
 *
 * A route added to the document and not here fails the client's coverage test; a client type that
 * differs from what these give fails `npm run typecheck` (see `packages/client/src/contract.test.ts`).
 */
import type { RouteConfig, z } from '@hono/zod-openapi';
import type {
  diffArtifacts,
  downloadRun,
  getArtifact,
  getArtifactFile,
  listArtifacts,
} from './routes/artifacts.js';
import type { loginRoute, logoutRoute, meRoute, setupRoute } from './routes/auth.js';
import type { listEnvironments } from './routes/environments.js';
import type { healthRoute, readyRoute } from './routes/health.js';
import type { getUsage, getVersion, listEvents } from './routes/run-log.js';
import type { calls, decide, rewind, stoppedPhaseRoute, submit } from './routes/run-phases.js';
import type {
  controlRoute,
  createRun,
  deleteRun,
  forkRun,
  getRun,
  listRuns,
  raiseBudget,
  renameRun,
} from './routes/runs.js';
import type { setupPageRoute } from './routes/setup-page.js';
import type { tenantEvents } from './routes/tenant-events.js';
import type { createTokenRoute, listTokensRoute, revokeTokenRoute } from './routes/tokens.js';
import type { getWorkflow, listWorkflows, uploadWorkflow } from './routes/workflows.js';

/** Every route of the OpenAPI document (`GET /api/openapi.json`), by `METHOD /path`. */
export interface ApiRoutes {
  'GET /health': typeof healthRoute;
  'GET /ready': typeof readyRoute;
  'GET /setup': typeof setupPageRoute;
  'POST /api/auth/setup': typeof setupRoute;
  'POST /api/auth/login': typeof loginRoute;
  'POST /api/auth/logout': typeof logoutRoute;
  'GET /api/auth/me': typeof meRoute;
  'POST /api/tokens': typeof createTokenRoute;
  'GET /api/tokens': typeof listTokensRoute;
  'DELETE /api/tokens/{id}': typeof revokeTokenRoute;
  'GET /api/environments': typeof listEnvironments;
  'GET /api/workflows': typeof listWorkflows;
  'POST /api/workflows': typeof uploadWorkflow;
  'GET /api/workflows/{id}': typeof getWorkflow;
  'POST /api/runs': typeof createRun;
  'GET /api/runs': typeof listRuns;
  'GET /api/runs/{id}': typeof getRun;
  'PATCH /api/runs/{id}': typeof renameRun;
  'DELETE /api/runs/{id}': typeof deleteRun;
  'POST /api/runs/{id}/pause': ReturnType<typeof controlRoute>;
  'POST /api/runs/{id}/resume': ReturnType<typeof controlRoute>;
  'POST /api/runs/{id}/cancel': ReturnType<typeof controlRoute>;
  'POST /api/runs/{id}/retry': ReturnType<typeof controlRoute>;
  'POST /api/runs/{id}/fork': typeof forkRun;
  'POST /api/runs/{id}/budget': typeof raiseBudget;
  'POST /api/runs/{id}/phases/{phase}/retry': ReturnType<typeof stoppedPhaseRoute>;
  'POST /api/runs/{id}/phases/{phase}/skip': ReturnType<typeof stoppedPhaseRoute>;
  'POST /api/runs/{id}/phases/{phase}/rewind': typeof rewind;
  'POST /api/runs/{id}/phases/{phase}/decision': typeof decide;
  'POST /api/runs/{id}/phases/{phase}/submit': typeof submit;
  'GET /api/runs/{id}/phases/{phase}/calls': typeof calls;
  'GET /api/runs/{id}/events': typeof listEvents;
  'GET /api/runs/{id}/phases/{phase}/versions/{version}': typeof getVersion;
  'GET /api/runs/{id}/usage': typeof getUsage;
  'GET /api/events': typeof tenantEvents;
  'GET /api/runs/{id}/phases/{phase}/artifacts': typeof listArtifacts;
  'GET /api/runs/{id}/phases/{phase}/artifacts/diff': typeof diffArtifacts;
  'GET /api/runs/{id}/phases/{phase}/artifacts/{version}': typeof getArtifact;
  'GET /api/runs/{id}/phases/{phase}/artifacts/{version}/files/{path}': typeof getArtifactFile;
  'GET /api/runs/{id}/download': typeof downloadRun;
}

/** A route of the API: `METHOD /path` as the OpenAPI document spells it. */
export type ApiOperation = keyof ApiRoutes;

/** The Zod schema of a body or response whose content is JSON; `never` without one. */
type JsonSchemaOf<T> = T extends { content: { 'application/json': { schema: infer S extends z.ZodType } } }
  ? S
  : never;

/** The request part `P` (`query`, `params`) of a route's declaration; `never` without one. */
type RequestPartOf<R extends RouteConfig, P extends 'query' | 'params'> = R['request'] extends {
  [K in P]: infer S extends z.ZodType;
}
  ? S
  : never;

/** Keys of `T` that may be left out. */
type OptionalKeys<T> = { [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? never : K }[keyof T];

/** The JSON body a client sends to route `R`: the schema's input (before defaults). */
export type RequestBody<R extends RouteConfig> = z.input<
  JsonSchemaOf<NonNullable<R['request']> extends { body?: infer B } ? NonNullable<B> : never>
>;

/**
 * The query of route `R` as a client gives it before it becomes text: each parameter's parsed
 * type (a coerced number is a number), optional where the request may leave it out (a default).
 */
export type RequestQuery<R extends RouteConfig> =
  RequestPartOf<R, 'query'> extends infer S extends z.ZodType
    ? {
        [K in keyof z.output<S> as K extends OptionalKeys<z.input<S>> ? K : never]?: z.output<S>[K];
      } & {
        [K in keyof z.output<S> as K extends OptionalKeys<z.input<S>> ? never : K]: z.output<S>[K];
      }
    : never;

/** The JSON body route `R` answers with `status` (its handler is typed against this schema). */
export type ResponseBody<R extends RouteConfig, S extends keyof R['responses']> = z.output<
  JsonSchemaOf<R['responses'][S]>
>;

/** Whether route `R` declares an answer with `status` and no body (`204`). */
export type AnswersEmpty<R extends RouteConfig, S extends number> = S extends keyof R['responses']
  ? R['responses'][S] extends { content: object }
    ? false
    : true
  : false;
