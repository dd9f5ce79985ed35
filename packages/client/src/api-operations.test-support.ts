/**
 * The client's method for each route of the API, by `METHOD /path` as the server's OpenAPI document
 * spells it (`ApiOperation` of `@baton/server/contract`). The table must name every route the
 * client serves — a route added to the server fails to compile here until it has a method — and
 * the tests check that each call sends that route's method and path, and that the routes named
 * here and in `NOT_IN_CLIENT` are exactly the document's.
 */
import type { ApiOperation } from '@baton/server/contract';
import type { BatonClient } from './client.js';

/** Routes the client has no method for, and why. */
export const NOT_IN_CLIENT = {
  'GET /setup': 'an HTML page for a browser (the setup link), not JSON',
} as const satisfies Partial<Record<ApiOperation, string>>;

/** A route the client has a method for. */
export type ClientOperation = Exclude<ApiOperation, keyof typeof NOT_IN_CLIENT>;

/** One call of the client's method for each route (ids `r1`, phase `p1`, version 3). */
export const CLIENT_CALLS: { readonly [K in ClientOperation]: (client: BatonClient) => Promise<unknown> } = {
  'GET /health': (c) => c.health(),
  'GET /ready': (c) => c.ready(),
  'POST /api/auth/setup': (c) => c.auth.setup({ email: 'a@b.c', password: 'pw' }),
  'POST /api/auth/login': (c) => c.auth.login({ email: 'a@b.c', password: 'pw' }),
  'POST /api/auth/logout': (c) => c.auth.logout(),
  'GET /api/auth/me': (c) => c.auth.me(),
  'POST /api/tokens': (c) => c.tokens.create({ name: 'ci' }),
  'GET /api/tokens': (c) => c.tokens.list(),
  'DELETE /api/tokens/{id}': (c) => c.tokens.revoke('t1'),
  'GET /api/environments': (c) => c.environments.list(),
  'GET /api/workflows': (c) => c.workflows.list(),
  'POST /api/workflows': (c) => c.workflows.upload('id: w1\n', 'yaml'),
  'GET /api/workflows/{id}': (c) => c.workflows.get('w1'),
  'POST /api/runs': (c) => c.runs.create({ workflow: 'w1' }),
  'GET /api/runs': (c) => c.runs.list(),
  'GET /api/runs/{id}': (c) => c.runs.get('r1'),
  'PATCH /api/runs/{id}': (c) => c.runs.rename('r1', 'T'),
  'DELETE /api/runs/{id}': (c) => c.runs.delete('r1'),
  'POST /api/runs/{id}/pause': (c) => c.runs.pause('r1'),
  'POST /api/runs/{id}/resume': (c) => c.runs.resume('r1'),
  'POST /api/runs/{id}/cancel': (c) => c.runs.cancel('r1'),
  'POST /api/runs/{id}/retry': (c) => c.runs.retryRun('r1'),
  'POST /api/runs/{id}/fork': (c) => c.runs.fork('r1'),
  'POST /api/runs/{id}/budget': (c) => c.runs.budget('r1', { tokens: 1 }),
  'POST /api/runs/{id}/phases/{phase}/retry': (c) => c.runs.retry('r1', 'p1'),
  'POST /api/runs/{id}/phases/{phase}/skip': (c) => c.runs.skip('r1', 'p1'),
  'POST /api/runs/{id}/phases/{phase}/rewind': (c) => c.runs.rewind('r1', 'p1'),
  'POST /api/runs/{id}/phases/{phase}/decision': (c) => c.runs.decide('r1', 'p1', { decision: 'approve' }),
  'POST /api/runs/{id}/phases/{phase}/submit': (c) => c.runs.submit('r1', 'p1', { content: 'x' }),
  'GET /api/runs/{id}/phases/{phase}/calls': (c) => c.runs.calls('r1', 'p1'),
  'GET /api/runs/{id}/events': (c) => c.runs.events('r1'),
  'GET /api/runs/{id}/phases/{phase}/versions/{version}': (c) => c.runs.outputVersion('r1', 'p1', 3),
  'GET /api/runs/{id}/usage': (c) => c.runs.usage('r1'),
  'GET /api/events': async (c) => (await c.events.open({ lastEventId: '1:r1' })).close(),
  'GET /api/runs/{id}/phases/{phase}/artifacts': (c) => c.artifacts.list('r1', 'p1'),
  'GET /api/runs/{id}/phases/{phase}/artifacts/diff': (c) => c.artifacts.diff('r1', 'p1', { from: 1, to: 2 }),
  'GET /api/runs/{id}/phases/{phase}/artifacts/{version}': (c) => c.artifacts.content('r1', 'p1', 3),
  'GET /api/runs/{id}/phases/{phase}/artifacts/{version}/files/{path}': (c) =>
    c.artifacts.file('r1', 'p1', 3, 'src/a.ts'),
  'GET /api/runs/{id}/download': (c) => c.artifacts.download('r1'),
};
