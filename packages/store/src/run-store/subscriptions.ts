/**
 * Subscriptions: wake-ups (`subscribe`: something changed — work was queued, a run's status moved)
 * and live progress (`publishProgress` / `subscribeProgress`, `progress-channel.ts`).
 *
 * Guarantees: a subscriber hears of every change this store committed right after its commit
 * (`mutate.ts`, `one-statement.ts`), and on PostgreSQL of other processes' changes through LISTEN
 * (`NOTIFY baton_wakeup`, sent only by transactions that committed), plus once after a lost
 * listening connection was replaced (notifications may have been missed). A wake-up carries no
 * payload: the subscriber re-reads what it needs. Progress is live only (missed is gone).
 *
 * Locking: none in the database (LISTEN/NOTIFY). A store ignores the notifications of its own
 * connections (it has dispatched those already), so stores sharing one `Db` object do not wake
 * each other: open one `Db` per store.
 */
import type { RunStore } from '@baton/engine';
import { createProgressChannel } from '../progress-channel.js';
import type { StoreContext } from './context.js';

/** The store's subscription methods, and `close`, which stops them all. */
export function createSubscriptions(ctx: StoreContext): {
  readonly methods: Pick<RunStore, 'subscribe' | 'publishProgress' | 'subscribeProgress'>;
  close(): Promise<void>;
} {
  const progress = createProgressChannel(ctx.db);
  return {
    methods: {
      async subscribe(listener) {
        return ctx.wakeups.add(listener);
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
      await progress.close();
    },
  };
}
