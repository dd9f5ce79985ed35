/**
 * Subscriptions: wake-ups (`subscribe`: something changed — work was queued, a run's status moved),
 * run-event notices (`subscribeEvents`: a run's log grew up to a seq, `run-events-channel.ts`) and
 * live progress (`publishProgress` / `subscribeProgress`, `progress-channel.ts`).
 *
 * Guarantees: a subscriber hears of every change this store committed right after its commit
 * (`mutate.ts`, `one-statement.ts`), and on PostgreSQL of other processes' changes through LISTEN
 * (`NOTIFY baton_wakeup`, sent only by transactions that committed), plus once after a lost
 * listening connection was replaced (notifications may have been missed). A wake-up carries no
 * payload: the subscriber re-reads what it needs. Progress is live only (missed is gone).
 *
 * Tenants: a wake-up names nothing, so every view hears every tenant's (it only says "read
 * again"). Progress carries its text, so a view scoped to a tenant publishes with its tenant and
 * delivers only its tenant's progress (`scopeProgress`); a run-event notice names its run, so a
 * tenant's view delivers only its tenant's notices too.
 *
 * Locking: none in the database (LISTEN/NOTIFY). A store ignores the notifications of its own
 * connections (it has dispatched those already), so stores sharing one `Db` object do not wake
 * each other: open one `Db` per store.
 */
import type { RunStore } from '@baton/engine';

/** The subscription methods of a store or view. */
type SubscriptionMethods = Pick<
  RunStore,
  'subscribe' | 'subscribeEvents' | 'publishProgress' | 'subscribeProgress'
>;
import { createProgressChannel } from '../progress-channel.js';
import type { StoreContext, TenantScope } from './context.js';

/** The store's subscription methods, and `close`, which stops them all. */
export function createSubscriptions(ctx: StoreContext): {
  readonly methods: SubscriptionMethods;
  close(): Promise<void>;
} {
  const progress = createProgressChannel(ctx.db);
  return {
    methods: {
      async subscribe(listener) {
        return ctx.wakeups.add(listener);
      },

      async subscribeEvents(listener) {
        return ctx.events.subscribe(listener);
      },

      async publishProgress(event) {
        await progress.publish(event);
      },

      async subscribeProgress(listener) {
        return progress.subscribe(listener);
      },
    },
    async close() {
      await ctx.wakeups.close();
      await ctx.events.close();
      await progress.close();
    },
  };
}

/**
 * The subscription methods of a view with `scope`: a tenant's view stamps its tenant on the
 * progress it publishes, delivers only run-event notices of its tenant's runs, and only progress
 * of its tenant (an event without a tenant is
 * nobody's in particular, so no tenant's view delivers it); the system scope passes everything.
 */
export function scopeProgress(methods: SubscriptionMethods, scope: TenantScope): SubscriptionMethods {
  if (scope === undefined) return methods;
  return {
    subscribe: methods.subscribe,
    subscribeEvents: (listener) =>
      methods.subscribeEvents((notice) => {
        if (notice.tenantId === scope) listener(notice);
      }),
    publishProgress: (event) => methods.publishProgress({ ...event, tenantId: scope }),
    subscribeProgress: (listener) =>
      methods.subscribeProgress((event) => {
        if (event.tenantId === scope) listener(event);
      }),
  };
}
