/**
 * What the parts of one SQL run store share — every view of it (one tenant's, all tenants'): its
 * database, its cache of run states, its wake-up subscribers and its options. `sql-run-store.ts` builds one per store and hands it to each part
 * (`mutate.ts`, the two write paths, leases, reads, subscriptions, the ledger).
 *
 * Nothing here locks: the cache is this process's memory (one event loop, no lock needed) and
 * holds only committed states (`run-state-cache.ts`); the database's locks are taken by the parts
 * that write, each saying why its order is safe.
 */
import { ContentPlacement } from '../blobs/content-placement.js';
import type { Db } from '../db.js';
import { RunStateCache } from '../run-state-cache.js';
import { ChannelSubscribers } from '../channel-subscribers.js';
import type { SqlRunStoreOptions, StoreFallback, StoreHooks } from './options.js';
import { WAKEUP_CHANNEL } from '../sql/notify-wakeup.js';
import { EVENTS_ANNOUNCEMENT } from '../sql/hold-events-lock.js';
import { RunEventsChannel } from '../run-events-channel.js';

/**
 * What a view of the store sees: one tenant's runs (its id), or every tenant's (undefined: the
 * system scope). Every part takes the scope of the view it serves; the context is shared by all.
 */
export type TenantScope = string | undefined;

/** The shared state of one store. */
export interface StoreContext {
  readonly db: Db;
  readonly hooks: StoreHooks;
  /** The latest committed state of every run this store touched. */
  readonly cache: RunStateCache;
  /**
   * PostgreSQL: other processes may share the database, so a commit that leaves work or moves a
   * run's status sends `NOTIFY baton_wakeup`. PGlite: this process owns the database.
   */
  readonly shared: boolean;
  /** This store's wake-up subscribers (`subscribe`): called after its own commits, and by NOTIFY. */
  readonly wakeups: ChannelSubscribers<void>;
  /** This store's run-event notices (`subscribeEvents`), and whether its writes notify others. */
  readonly events: RunEventsChannel;
  /** Told of every fallback from the one-statement path to the locked path (`apply-queue.ts`). */
  readonly onFallback: ((fallback: StoreFallback) => void) | undefined;
  /** Reports a line to the operator (default: stderr). */
  readonly log: (line: string) => void;
  /** Where contents go (the row or the blob store) and how they are read back. */
  readonly contents: ContentPlacement;
}

/** Builds the shared state of a store on `db`. */
export function createStoreContext(db: Db, options: SqlRunStoreOptions): StoreContext {
  // The wake-ups decode announcements for the events channel, which asks whether they listen.
  // (Called only on writes, after both exist.)
  const events = new RunEventsChannel(db, () => wakeups.listening);
  const wakeups = createWakeups(db, events);
  return {
    db,
    hooks: options.hooks ?? {},
    cache: new RunStateCache(),
    shared: db.driver === 'postgres',
    wakeups,
    events,
    onFallback: options.onFallback,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    contents: new ContentPlacement(options.blobs),
  };
}

/** The wake-up subscribers of a store on `db` (`subscriptions.ts`). */
function createWakeups(db: Db, events: RunEventsChannel): ChannelSubscribers<void> {
  return new ChannelSubscribers<void>(
    db.listen === undefined ? undefined : (onPayload) => db.listen!(WAKEUP_CHANNEL, onPayload),
    // Every notification wakes ('' after a replaced connection). One says more: another process
    // started listening for run events (`run-events-channel.ts`), so writes may need to tell it.
    (payload) => {
      if (payload === EVENTS_ANNOUNCEMENT) events.heardAnnouncement();
      return { value: undefined };
    },
  );
}
