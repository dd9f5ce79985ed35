/**
 * What the server's app is made of, on one database: who may call (accounts, sessions, tokens,
 * the home's socket), and the route modules of each resource.
 */
import type { RunStore } from '@baton/engine';
import type { Db } from '@baton/store';
import type { Logger } from 'pino';
import type { Authenticator, RouteModule } from '../app.js';
import { LOCAL_TENANT } from '../local-tenant.js';
import { runLogRoutes } from '../routes/run-log.js';

export interface ServiceOptions {
  readonly db: Db;
  readonly store: RunStore;
  readonly log: Logger;
  readonly setupToken?: string;
}

export interface Services {
  readonly authenticator: Authenticator;
  readonly publicRoutes: readonly RouteModule[];
  readonly routes: readonly RouteModule[];
  /** The setup link's token while no account exists. */
  readonly setupToken?: string;
}

export function composeServices(options: ServiceOptions): Promise<Services> {
  // TODO(tenancy merge): the tenant's view of the store.
  const storeFor = () => options.store;
  const authenticator: Authenticator = {
    authenticate: (request) =>
      Promise.resolve(
        request.socket
          ? { tenantId: LOCAL_TENANT, via: 'socket' as const, role: 'owner' as const, actor: 'local' }
          : undefined,
      ),
  };
  return Promise.resolve({ authenticator, publicRoutes: [], routes: [runLogRoutes({ storeFor })] });
}
