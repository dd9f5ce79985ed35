/**
 * The tenant stream's hub: one per server process, one feed per tenant with followers. A feed
 * reads the tenant's run changes (`RunChanges` of `@baton/store`, commit-ordered: a change is
 * final once read) from the oldest cursor among its followers, and hands each follower the changes
 * after its own cursor — one query per wake-up for any number of dashboards.
 *
 * When it reads: on every wake-up of the store (`subscribe`: this process's commits at once, other
 * processes' through NOTIFY), and at least every `pollMs` (1 s): some writes wake nobody (a model
 * call, a title), and a wake-up may be lost with a connection. A missed wake-up costs latency,
 * never a change: what a read returns depends on the cursor only. Reads of one feed never overlap;
 * a wake-up during a read asks for one more read after it (wake-ups coalesce).
 *
 * Slow followers: a follower still writing its previous changes (`deliver` has not resolved) is
 * skipped by the reads meanwhile, its cursor left where it was; when it is done the feed reads
 * again, and it gets every run changed since — each once, newest state. So nothing queues up in
 * memory for it, and it never holds the others back (a read costs at most the tenant's runs).
 *
 * States of a feed: idle (no read running) → reading → idle, with `again` set by a poke during a
 * read; a feed without followers is dropped at the end of a read or when its last follower leaves.
 */
import { isAfter, type ChangePosition, type RunChange, type RunChanges } from '@baton/store';
import type { Logger } from 'pino';

/** Options of {@link createTenantFeeds}. */
export interface TenantFeedsOptions {
  readonly changes: RunChanges;
  /** The store's wake-ups: called after changes commit (carries no tenant). */
  readonly subscribe: (listener: () => void) => Promise<() => Promise<void>>;
  /** Read every feed at least this often (default 1000 ms). */
  readonly pollMs?: number;
  /** Changes per read (default 500; a read continues while pages come back full). */
  readonly pageSize?: number;
  readonly log: Logger;
}

/** Hands changes to one follower; resolves once they are written (the follower is busy until then). */
type Deliver = (changes: readonly RunChange[]) => Promise<void>;

/** The process's tenant feeds. */
export interface TenantFeeds {
  /**
   * Follows `tenantId`'s changes after `from`: `deliver` is called with each batch, in commit
   * order, never twice at once; `end` when the hub closes (the server stops: end the stream).
   * Returns the function that stops following.
   */
  follow(tenantId: string, from: ChangePosition, deliver: Deliver, end: () => void): () => void;
  /**
   * Stops every feed (and the wake-up subscription) and calls every follower's `end`: open streams
   * must end for the server to stop (it waits for open connections).
   */
  close(): Promise<void>;
}

interface Follower {
  cursor: ChangePosition;
  busy: boolean;
  readonly deliver: Deliver;
  readonly end: () => void;
}

interface Feed {
  readonly tenantId: string;
  readonly followers: Set<Follower>;
  reading: boolean;
  again: boolean;
}

/** The hub (see above). Subscribes to wake-ups and starts its timer on the first follower. */
export function createTenantFeeds(options: TenantFeedsOptions): TenantFeeds {
  const pollMs = options.pollMs ?? 1000;
  const pageSize = options.pageSize ?? 500;
  const feeds = new Map<string, Feed>();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: Promise<() => Promise<void>> | undefined;
  let closed = false;

  const pokeAll = (): void => {
    for (const feed of feeds.values()) poke(feed);
  };

  const start = (): void => {
    if (timer !== undefined || closed) return;
    timer = setInterval(pokeAll, pollMs);
    timer.unref();
    unsubscribe ??= options.subscribe(pokeAll).catch((error: unknown) => {
      // No wake-ups: the timer alone reads (latency up to `pollMs`, nothing missed).
      options.log.warn({ err: error }, 'tenant stream: no wake-ups, reading every tick');
      return () => Promise.resolve();
    });
  };

  const poke = (feed: Feed): void => {
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    void (async () => {
      do {
        feed.again = false;
        try {
          await read(feed);
        } catch (error) {
          // The database failed: the next wake-up or tick reads again from the same cursors.
          options.log.warn({ err: error, tenantId: feed.tenantId }, 'tenant stream: reading changes failed');
        }
      } while (feed.again && !closed);
      feed.reading = false;
      if (feed.followers.size === 0 && feeds.get(feed.tenantId) === feed) feeds.delete(feed.tenantId);
    })();
  };

  /** Reads from the oldest cursor of the followers not busy, and hands each its part. */
  const read = async (feed: Feed): Promise<void> => {
    const ready = [...feed.followers].filter((f) => !f.busy);
    if (ready.length === 0) return;
    let from = ready[0]!.cursor;
    for (const follower of ready) if (isAfter(from, follower.cursor)) from = follower.cursor;
    for (;;) {
      const page = await options.changes.after(feed.tenantId, from, pageSize);
      for (const follower of ready) {
        if (follower.busy || !feed.followers.has(follower)) continue;
        const mine = page.filter((change) => isAfter(change.position, follower.cursor));
        if (mine.length === 0) continue;
        follower.cursor = mine.at(-1)!.position;
        follower.busy = true;
        follower.deliver(mine).then(
          () => {
            follower.busy = false;
            // It was skipped while busy: read again for it.
            if (feed.followers.has(follower)) poke(feed);
          },
          () => {
            // Its connection is gone; the route stops following.
            feed.followers.delete(follower);
          },
        );
      }
      if (page.length < pageSize || closed) return;
      from = page.at(-1)!.position;
    }
  };

  return {
    follow(tenantId, from, deliver, end) {
      if (closed) {
        end();
        return () => undefined;
      }
      let feed = feeds.get(tenantId);
      if (feed === undefined) {
        feed = { tenantId, followers: new Set(), reading: false, again: false };
        feeds.set(tenantId, feed);
      }
      const follower: Follower = { cursor: from, busy: false, deliver, end };
      feed.followers.add(follower);
      start();
      poke(feed);
      const joined = feed;
      return () => {
        joined.followers.delete(follower);
        if (joined.followers.size === 0 && !joined.reading && feeds.get(tenantId) === joined) {
          feeds.delete(tenantId);
        }
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      const followers = [...feeds.values()].flatMap((feed) => [...feed.followers]);
      feeds.clear();
      for (const follower of followers) follower.end();
      if (unsubscribe !== undefined) await (await unsubscribe)();
    },
  };
}
