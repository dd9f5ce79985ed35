/**
 * The SQL run store: a {@link RunStore} over a {@link Db} (PGlite or PostgreSQL; the SQL is the
 * same). This file puts it together; each part of the protocol has a file of its own under
 * `run-store/`, whose header says what it guarantees, what it relies on and why its locking is
 * safe:
 *
 * - `mutate.ts` — the transaction and NOTIFY wrapper of every locked write;
 * - `apply-queue.ts` — per-run batching of `apply` (group commit), and the choice of write path;
 * - `one-statement.ts` — the one-statement path: decide on the cached state, one guarded statement;
 * - `apply-locked.ts` — the locked path: one transaction under the run's row lock;
 * - `create-run.ts`, `delete-run.ts`, `leases.ts` (claim, heartbeat, recovery), `subscriptions.ts`,
 *   `reads.ts`, `ledger.ts` (model calls).
 *
 * See docs/engine.md, "Transaction boundaries", for the two write paths.
 */
import type { RunStore, ScopedRunStore } from '@baton/engine';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { createApply } from './run-store/apply-queue.js';
import { createStoreContext, type StoreContext, type TenantScope } from './run-store/context.js';
import { createRun } from './run-store/create-run.js';
import { deleteRun } from './run-store/delete-run.js';
import { leaseMethods } from './run-store/leases.js';
import { ledgerMethods } from './run-store/ledger.js';
import type { SqlRunStoreOptions } from './run-store/options.js';
import { readMethods } from './run-store/reads.js';
import { createSubscriptions, scopeProgress } from './run-store/subscriptions.js';
import { insertTenant } from './sql/insert-tenant.js';

export type { SqlRunStoreOptions, StoreFallback, StoreHooks } from './run-store/options.js';

/**
 * Brings a database's schema up to date and returns a store on it; closes the database when the
 * migration fails (the error says why).
 */
export async function openMigratedStore(db: Db, options: SqlRunStoreOptions = {}): Promise<ScopedRunStore> {
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return createSqlRunStore(db, options);
}

/**
 * A {@link RunStore} over a {@link Db} (PGlite or PostgreSQL; the SQL is the same). The database
 * must be migrated (`migrate`). Closing the store closes the database.
 *
 * Each transition is one transaction under the run's row lock (`sql/lock-run.ts`), or one guarded
 * statement that writes only if the run did not move (`run-store/one-statement.ts`). The store
 * keeps the latest state of every run it touched in memory and reads only newer events, so several
 * stores (processes) may share one PostgreSQL database.
 *
 * Tenancy: the store returned is the system scope — it sees every tenant's runs and creates runs
 * in the local tenant, as the CLI always did. `forTenant(id)` gives a view that sees only that
 * tenant's runs and creates runs in it; `allTenants()` a view like the store itself. Views share
 * the store's database, cache, apply queue and subscribers; closing a view does nothing.
 *
 * Wake-ups: after a transaction that appended events or queued work commits, the store calls its
 * own subscribers at once; on PostgreSQL the transaction also sends one empty `NOTIFY
 * baton_wakeup`, which the subscribers of other stores (processes) receive through LISTEN. A store
 * ignores the notifications of its own connections (it has dispatched those already), so stores
 * that share one `Db` object do not wake each other: open one `Db` per store. A subscriber hears of
 * every tenant's changes: a wake-up carries nothing, it only says "read again".
 */
export function createSqlRunStore(db: Db, options: SqlRunStoreOptions = {}): ScopedRunStore {
  const ctx = createStoreContext(db, options);
  const subscriptions = createSubscriptions(ctx);
  const apply = createApply(ctx);
  const view = (scope: TenantScope): RunStore => ({
    ...createView(ctx, scope, apply(scope), subscriptions.methods),
    close: () => Promise.resolve(),
  });
  return {
    ...createView(ctx, undefined, apply(undefined), subscriptions.methods),
    forTenant: (tenantId) => view(tenantId),
    allTenants: () => view(undefined),
    async ensureTenant(tenant, now) {
      await insertTenant(db, tenant, now);
    },
    async close() {
      ctx.cache.clear();
      await subscriptions.close();
      await db.close();
    },
  };
}

/** The methods of a view with `scope` (`close` is the caller's). */
function createView(
  ctx: StoreContext,
  scope: TenantScope,
  apply: RunStore['apply'],
  subscriptions: Pick<RunStore, 'subscribe' | 'subscribeEvents' | 'publishProgress' | 'subscribeProgress'>,
): Omit<RunStore, 'close'> {
  return {
    createRun: (input, now) => createRun(ctx, input, now, scope),
    apply,
    deleteRun: (runId) => deleteRun(ctx, runId, scope),
    ...leaseMethods(ctx, scope),
    ...scopeProgress(subscriptions, scope),
    ...readMethods(ctx, scope),
    ...ledgerMethods(ctx, scope),
  };
}
