import type { Queryable } from '../db.js';
import { WAKEUP_CHANNEL } from './notify-wakeup.js';

/**
 * The advisory lock (two-key form) a session holds while its process has run-event subscribers.
 * Writers look for holders in `pg_locks` (`sql/select-events-listened.ts`) to decide whether to
 * send run-event notifications at all.
 */
export const EVENTS_LOCK = { classid: 0x6261746f, objid: 1 } as const;

/** The payload of the wake-up that tells writers somebody started listening for run events. */
export const EVENTS_ANNOUNCEMENT = 'events';

/**
 * Run on a dedicated listening session (`LISTEN baton_events`) when it connects: takes the shared
 * advisory lock {@link EVENTS_LOCK} for the session's lifetime — PostgreSQL releases it when the
 * session ends, a killed process included — then tells writers listening for wake-ups that
 * somebody now wants run-event notifications (`NOTIFY baton_wakeup, 'events'`). Returns the
 * session's backend pid: its own process's writers leave it out when they look for listeners.
 *
 * Locking: a shared lock, and nobody ever takes the exclusive one, so it never waits; holders do
 * not block each other.
 */
export async function holdEventsLock(session: Queryable): Promise<number> {
  const [row] = await session.query<{ pid: number }>(
    `SELECT pg_backend_pid() AS pid, pg_advisory_lock_shared($1::integer, $2::integer)`,
    [EVENTS_LOCK.classid, EVENTS_LOCK.objid],
  );
  await session.query(`NOTIFY ${WAKEUP_CHANNEL}, '${EVENTS_ANNOUNCEMENT}'`);
  return row!.pid;
}
