/**
 * What the server's app is made of, on one database: who may call (accounts, sessions, tokens,
 * the home's socket), the Idempotency-Key middleware, and the route modules of each resource:
      tenantEventRoutes({
        changes,
        feeds,
        ...(options.stream?.keepaliveMs === undefined ? {} : { keepAliveMs: options.stream.keepaliveMs }),
      }),
      artifactRoutes({ storeFor }),
 */
import type { BuiltinSteps, RunStore, TenantScopes, Transition } from '@baton/engine';
import type { OneRunHolder } from '@baton/runtime';
import { createRunChanges, createWorkflowCatalog, type Db } from '@baton/store';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Authenticator, RouteModule } from '../app.js';
import type { AppEnv } from '../app-env.js';
import { createAccounts } from '../accounts/create-accounts.js';
import { createIdempotency } from '../middleware/idempotency.js';
import { artifactRoutes } from '../routes/artifacts.js';
import { runLogRoutes } from '../routes/run-log.js';
import { tenantEventRoutes } from '../routes/tenant-events.js';
import { createTenantFeeds } from '../events/tenant-feeds.js';
import { deletionsNoticed } from './deletions-noticed.js';
import { observedStore } from './observed-store.js';
import { oneRunStore } from './one-run-store.js';
import type { HostToolPolicy } from '../host-tools.js';
import { trackActivity } from './activity.js';
import { runRoutes } from '../routes/runs.js';
import { createRunsService } from '../runs/runs-service.js';
import { createRunStreamHub, type RunStreamHubOptions } from '../streams/run-stream-hub.js';
import { workflowRoutes } from '../routes/workflows.js';
import { createBuiltinWorkflows } from '../workflows/builtin-workflows.js';
import { withBuiltins } from '../workflows/with-builtins.js';

export interface ServiceOptions {
  readonly db: Db;
  /** Who may start tool phases (see `host-tools.ts`). */
  readonly hostTools: HostToolPolicy;
  /**
   * The builtin steps this installation runs: an uploaded workflow naming another is refused.
   * Absent: step names are not checked (a phase naming a step the workers lack fails as UNKNOWN_STEP).
   */
  readonly builtinSteps?: BuiltinSteps;
  /** Session cookies only over https (a server behind a TLS proxy: its public URL is https). */
  readonly secureCookies?: boolean;
  /** Every tenant's runs; the routes see one tenant's view (`forTenant`). */
  readonly store: RunStore & TenantScopes;
  /** Told of every transition the API records (the in-process workers' `observe`). */
  readonly observe?: (runId: string, transition: Transition) => void;
  /** Told of every run the API deleted, by its tenant (the blob sweep's `runDeleted`). */
  readonly onRunDeleted?: (tenantId: string) => void;
  readonly log: Logger;
  /** `BATON_SETUP_TOKEN`: the setup link's token instead of a random one. */
  readonly setupToken?: string;
  /**
   * Record a setup token while the local tenant has no owner (default true). A process that
   * serves only the home's socket prints no setup link, and passes false.
   */
  readonly setupLink?: boolean;
  /**
   * Set when this process executes only one run (a driving `baton run` on the home): who holds
   * the home and which run it drives, asked at each request. Requests that would need another run
   * executed are refused with HOME_BUSY (see `one-run-store.ts`).
   */
  readonly onlyRun?: () => OneRunHolder;
  /**
   * Timings and bounds of the run stream (defaults: 1 s probes, 15 s keepalives, 1,000 frames);
   * the keepalive interval is the tenant stream's too.
   */
  readonly stream?: Omit<RunStreamHubOptions, 'store'>;
  /**
   * The directory of the built-in workflows every tenant sees beside its uploads (default: those
   * `@baton/workflows` ships; `baton` passes `$BATON_BUILTINS_DIR` when set, for tests).
   */
  readonly builtinsDir?: string;
}

export interface Services {
  readonly authenticator: Authenticator;
  readonly publicRoutes: readonly RouteModule[];
  readonly routes: readonly RouteModule[];
  readonly idempotency: MiddlewareHandler<AppEnv>;
  /** The setup link's token while the local tenant has no owner. */
  readonly setupToken?: string;
  /**
   * Ends every open stream (run streams and tenant streams; their clients reconnect elsewhere):
   * a server stopping calls it before it waits for its connections to end, which a stream never
   * does by itself. Nothing more is delivered.
   */
  endStreams(): Promise<void>;
  /** Stops what the services listen to (progress, run-event notices, wake-ups) and ends the streams. */
  close(): Promise<void>;
}

export async function composeServices(options: ServiceOptions): Promise<Services> {
  const views = new Map<string, RunStore>();
  const storeFor = (tenantId: string): RunStore => {
    let view = views.get(tenantId);
    if (view === undefined) {
      let scoped = options.store.forTenant(tenantId);
      if (options.onlyRun !== undefined) scoped = oneRunStore(scoped, options.onlyRun);
      if (options.onRunDeleted !== undefined)
        scoped = deletionsNoticed(scoped, tenantId, options.onRunDeleted);
      view = options.observe === undefined ? scoped : observedStore(scoped, options.observe);
      views.set(tenantId, view);
    }
    return view;
  };
  const activity = await trackActivity(options.store);
  const hub = await createRunStreamHub({ ...options.stream, store: options.store });
  const accounts = createAccounts(
    options.db,
    options.secureCookies === undefined ? {} : { secureCookies: options.secureCookies },
  );
  // The tenant's uploads, with the built-ins under them (an upload of a built-in's id wins).
  const catalog = withBuiltins(
    createWorkflowCatalog(options.db),
    createBuiltinWorkflows(options.builtinsDir, options.builtinSteps),
  );
  const changes = createRunChanges(options.db);
  const feeds = createTenantFeeds({
    changes,
    subscribe: (listener) => options.store.subscribe(listener),
    log: options.log,
  });
  const setup =
    options.setupLink === false
      ? undefined
      : await accounts.ensureSetupToken(
          options.setupToken === undefined ? {} : { preset: options.setupToken },
        );
  const runOptions = {
    storeFor,
    catalog,
    activityOf: (runId: string) => activity.of(runId),
    hostTools: options.hostTools,
  };
  // The run stream's snapshot is the run's view exactly as `GET /api/runs/:id` answers it.
  const runs = createRunsService(runOptions);
  return {
    authenticator: accounts.authenticator,
    publicRoutes: [accounts.publicRoutes],
    routes: [
      accounts.routes,
      workflowRoutes({
        catalog,
        hostTools: options.hostTools,
        ...(options.builtinSteps === undefined ? {} : { builtinSteps: options.builtinSteps }),
      }),
      runRoutes(runOptions),
      runLogRoutes({
        storeFor,
        stream: {
          hub,
          snapshot: async (principal, runId) => {
            const view = await runs.get(principal, runId);
            return { seq: Number(view.lastEventId), view };
          },
        },
      }),
      tenantEventRoutes({
        changes,
        feeds,
        ...(options.stream?.keepaliveMs === undefined ? {} : { keepAliveMs: options.stream.keepaliveMs }),
      }),
      artifactRoutes({ storeFor }),
    ],
    idempotency: createIdempotency(options.db),
    ...(setup === undefined ? {} : { setupToken: setup.token }),
    endStreams: async () => {
      await Promise.all([hub.close(), feeds.close()]);
    },
    async close() {
      await Promise.all([hub.close(), feeds.close()]);
      await activity.stop();
    },
  };
}
