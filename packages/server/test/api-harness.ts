/**
 * A real server for the API tests: the app with the workflows routes on a migrated database,
 * listening on a free port of 127.0.0.1, and an authenticator that maps `Authorization: Bearer
 * tenant-a` / `tenant-b` to principals of tenants `a` and `b` (inserted beside `local`).
 */
import pino from 'pino';
import { createWorkflowCatalog, migrate, type Db } from '@baton/store';
import { createApp, type Authenticator } from '../src/app.js';
import { listen, type Listener } from '../src/listen.js';
import type { WorkflowLibrary } from '../src/ports/workflow-catalog.js';
import { workflowRoutes } from '../src/routes/workflows.js';

/** Maps `Bearer tenant-<t>` to a principal of tenant `<t>` (actor `user-<t>`), for `a` and `b`. */
const tenantsByToken: Authenticator = {
  authenticate: (request) => {
    const tenant = /^Bearer tenant-([ab])$/.exec(request.authorization ?? '')?.[1];
    return Promise.resolve(
      tenant === undefined
        ? undefined
        : { tenantId: tenant, via: 'token' as const, role: 'owner' as const, actor: `user-${tenant}` },
    );
  },
};

export interface ApiHarness {
  readonly url: string;
  readonly catalog: WorkflowLibrary;
  /** `fetch` of `path` on the server as tenant `tenant` (none: no credentials). */
  request(path: string, init?: RequestInit & { tenant?: 'a' | 'b' | 'none' }): Promise<Response>;
  close(): Promise<void>;
}

/** Largest body the harness's server takes (bytes): small, so a test can exceed it cheaply. */
export const HARNESS_MAX_BODY_BYTES = 64 * 1024;

/** Migrates `db`, adds tenants a and b, and serves the app on it. `db` stays the caller's to close. */
export async function startApiServer(db: Db): Promise<ApiHarness> {
  await migrate(db);
  await db.query(
    `INSERT INTO tenants (id, name, created_at) VALUES ('a', 'A', now()), ('b', 'B', now())
     ON CONFLICT DO NOTHING`,
  );
  const catalog: WorkflowLibrary = createWorkflowCatalog(db);
  const app = createApp({
    log: pino({ level: 'silent' }),
    authenticator: tenantsByToken,
    ready: () => Promise.resolve(true),
    maxBodyBytes: HARNESS_MAX_BODY_BYTES,
    routes: [workflowRoutes({ catalog })],
  });
  const server: Listener = await listen(app, { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    catalog,
    request: (path, init = {}) => {
      const { tenant = 'a', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (tenant !== 'none') headers.set('authorization', `Bearer tenant-${tenant}`);
      return fetch(`${server.url}${path}`, { ...rest, headers });
    },
    close: () => server.close(),
  };
}
