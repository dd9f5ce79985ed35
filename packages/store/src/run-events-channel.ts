/**
 * Run-event notices of one store (`subscribeEvents`): "run R of tenant T has every event up to
 * seq N committed". Its own commits are told to its subscribers right after they commit
 * (`run-store/mutate.ts`, `run-store/one-statement.ts`); on PostgreSQL other processes' commits
 * arrive through `LISTEN baton_events`.
 *
 * Cost, and why notifications are sent only while somebody listens: on PostgreSQL 15 every NOTIFY
 * makes each listening session of the database read the queue in a transaction of its own (one
 * more commit per listening session), so a NOTIFY in every step would about double the commits a
 * step costs. So a store sends `pg_notify('baton_events', …)` with the writes that append events
 * (in the same statement or transaction: delivered only if it commits) only while another process
 * has event subscribers:
 * - a store with at least one event subscriber keeps a LISTEN connection that holds a shared
 *   advisory lock (`sql/hold-events-lock.ts`) — released by PostgreSQL when the session ends, a
 *   killed process included — and, each time it connects, announces itself with
 *   `NOTIFY baton_wakeup, 'events'`;
 * - a writer keeps a flag "another process listens", read from `pg_locks`
 *   (`sql/select-events-listened.ts`, its own listening session left out) before its first write,
 *   again when it hears the announcement, and otherwise at most every {@link RECHECK_MS} while on
 *   (so it turns off a few seconds after the last listener left) or while the writer hears no
 *   announcements (it has no wake-up subscribers), every {@link RECHECK_HEARING_MS} while off and
 *   hearing them. With no event subscriber anywhere a worker (which listens to wake-ups) pays one
 *   read-only commit a minute.
 *
 * Guarantee: a notice is a hint. A writer that has not heard the announcement yet (it listens to
 * no wake-ups, or the flag is about to be re-read), or a listening connection being replaced,
 * loses notices of other processes' commits for up to a few seconds. Followers read the log by
 * seq after each notice and also every second or so (`@baton/server`'s run stream does), so a
 * lost notice costs latency, never events. A replaced listening connection re-takes the lock and
 * announces again.
 */
import type { RunEventsNotice } from '@baton/engine';
import { ChannelSubscribers } from './channel-subscribers.js';
import type { Db } from './db.js';
import { holdEventsLock } from './sql/hold-events-lock.js';
import { selectEventsListened } from './sql/select-events-listened.js';

/** The channel of cross-process run-event notices (`LISTEN baton_events`); a JSON payload. */
export const EVENTS_CHANNEL = 'baton_events';

/** How long a writer trusts its "another process listens" flag before reading it again. */
const RECHECK_MS = 5_000;

/**
 * How long a writer trusts "nobody else listens" while it hears announcements itself (it has
 * wake-up subscribers): an announcement re-reads the flag at once, so this only bounds a lost one.
 */
const RECHECK_HEARING_MS = 60_000;

/** The run-event notices of one store on `db` (see above). */
export class RunEventsChannel {
  private readonly subscribers: ChannelSubscribers<RunEventsNotice>;
  /** The backend of this store's own listening session: its lock is not another process's. */
  private listenerPid: number | undefined;
  private othersListen = false;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<boolean> | undefined;

  /**
   * @param hearsAnnouncements whether this store now listens to wake-ups (and so hears the
   *   announcements of new event subscribers elsewhere).
   */
  constructor(
    private readonly db: Db,
    private readonly hearsAnnouncements: () => boolean = () => false,
  ) {
    this.subscribers = new ChannelSubscribers<RunEventsNotice>(
      db.listen === undefined
        ? undefined
        : (onPayload) =>
            db.listen!(EVENTS_CHANNEL, onPayload, {
              onConnected: async (session) => {
                this.listenerPid = await holdEventsLock(session);
              },
            }),
      decodeNotice,
    );
  }

  /** Adds a subscriber; resolves once other processes' commits reach it too. */
  subscribe(listener: (notice: RunEventsNotice) => void): Promise<() => Promise<void>> {
    return this.subscribers.add(listener);
  }

  /** Tells this store's subscribers of its own commits (after they committed). */
  dispatch(notices: Iterable<RunEventsNotice>): void {
    for (const notice of notices) this.subscribers.dispatch(notice);
  }

  /** Somebody announced event subscribers: read the flag again before the next write. */
  heardAnnouncement(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Whether a write should also notify other processes. Reads `pg_locks` when the flag is stale
   * (one read shared by the writes waiting for it); false on PGlite (nobody else can listen).
   */
  notifyOthers(): boolean | Promise<boolean> {
    if (this.db.driver !== 'postgres') return false;
    const trust = this.othersListen || !this.hearsAnnouncements() ? RECHECK_MS : RECHECK_HEARING_MS;
    if (performance.now() - this.checkedAt < trust) return this.othersListen;
    this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  async close(): Promise<void> {
    await this.subscribers.close();
  }

  private async check(): Promise<boolean> {
    try {
      this.othersListen = await selectEventsListened(this.db, this.listenerPid);
    } catch {
      // Unknown: notify (a wasted notification costs less than a late event); the write that
      // follows reports the database's trouble itself.
      this.othersListen = true;
    }
    this.checkedAt = performance.now();
    return this.othersListen;
  }
}

/** A notification's payload as a notice; '' (a replaced connection) and garbage are skipped. */
function decodeNotice(payload: string): { readonly value: RunEventsNotice } | undefined {
  if (payload === '') return undefined;
  try {
    const notice = JSON.parse(payload) as Partial<RunEventsNotice>;
    if (
      typeof notice.tenantId !== 'string' ||
      typeof notice.runId !== 'string' ||
      typeof notice.lastSeq !== 'number'
    )
      return undefined;
    return { value: { tenantId: notice.tenantId, runId: notice.runId, lastSeq: notice.lastSeq } };
  } catch {
    return undefined;
  }
}
