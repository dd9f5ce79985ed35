/**
 * The transaction and NOTIFY wrapper of the store's locked writes: the locked path of `apply`
 * (`apply-locked.ts`), `createRun`, `claim` and lease recovery (`leases.ts`). The one-statement
 * path (`one-statement.ts`) does the same in its single statement instead.
 *
 * Guarantees: `fn` runs in one database transaction (READ COMMITTED, `db.ts`): all of its writes
 * commit together or none do. When `fn` reports a change (`changed()`: it left work queued for
 * others or moved a run's status) and the transaction commits:
 * - on PostgreSQL the transaction sends one empty `NOTIFY baton_wakeup` (`sql/notify-wakeup.ts`).
 *   PostgreSQL delivers a notification only when, and right after, its transaction commits, so
 *   other processes hear of exactly the changes that committed — never of a rollback;
 * - after the commit, this store's own subscribers are called (its own connections' notifications
 *   are ignored by `db.listen`, so they are not called twice).
 * Run events: every write that appends events (`step-write.ts`) reports the run's last seq
 * through {@link StoreTransaction.appended}; after the commit this store's event subscribers are
 * told, and while other processes listen for run events (`tx.notifyEvents`,
 * `run-events-channel.ts`) the write also sends `pg_notify('baton_events', …)`, delivered on commit.
 * A transaction that rolled back (`rollbackOnReturn`, or `fn` threw) wakes and tells nobody. The test hook
 * `beforeCommit` runs after `fn`'s writes, before COMMIT, in every transaction that will commit.
 *
 * Locking: none of its own. What `fn` locks (a run's row, task rows) is held until COMMIT or
 * ROLLBACK. The NOTIFY adds one lock, PostgreSQL's notification queue lock, taken only while the
 * transaction commits — after every lock it ever waits for — so notifying transactions queue on
 * it one by one and none can wait for a row lock while holding it: no deadlock.
 */
import { joinNotices, type RunEventsNotice } from '@baton/engine';
import type { Transaction } from '../db.js';
import { notifyWakeup } from '../sql/notify-wakeup.js';
import type { StoreContext } from './context.js';

/** A transaction of the store's locked writes (see above). */
export interface StoreTransaction extends Transaction {
  /** Whether writes that append events should also notify other processes. */
  readonly notifyEvents: boolean;
  /** Records that the transaction appended events to a run, up to `lastSeq`. */
  appended(notice: RunEventsNotice): void;
}

/** A transaction of the store, told when it changed something workers or watchers care about. */
export type Mutation<T> = (tx: StoreTransaction, changed: () => void) => Promise<T>;

/** Runs `fn` in one transaction, announcing the change it reports once it commits (see above). */
export async function mutate<T>(ctx: StoreContext, fn: Mutation<T>): Promise<T> {
  let changed = false;
  let rolledBack = false;
  const appended = new Map<string, RunEventsNotice>();
  const notifyEvents = await ctx.events.notifyOthers();
  const value = await ctx.db.transaction(async (tx) => {
    const inner: StoreTransaction = {
      ...tx,
      rollbackOnReturn: () => {
        rolledBack = true;
        tx.rollbackOnReturn();
      },
      notifyEvents,
      appended: (notice) => appended.set(notice.runId, joinNotices(appended.get(notice.runId), notice)),
    };
    const result = await fn(inner, () => {
      changed = true;
    });
    if (!rolledBack) await ctx.hooks.beforeCommit?.();
    if (changed && !rolledBack && ctx.shared) await notifyWakeup(tx);
    return result;
  });
  if (changed && !rolledBack) ctx.wakeups.dispatch();
  if (!rolledBack) ctx.events.dispatch(appended.values());
  return value;
}
