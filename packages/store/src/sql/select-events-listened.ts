import type { Queryable } from '../db.js';
import { EVENTS_LOCK } from './hold-events-lock.js';

/**
 * Whether any session other than `ownPid` holds the run-event lock (`sql/hold-events-lock.ts`):
 * another process on this database has run-event subscribers, so writes should notify them.
 * Advisory locks are per database, hence the database filter (tests share one server). A read of
 * the lock table only; it locks nothing.
 */
export async function selectEventsListened(db: Queryable, ownPid: number | undefined): Promise<boolean> {
  const [row] = await db.query<{ listened: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory'
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid = $1::integer::oid AND objid = $2::integer::oid
          AND objsubid = 2 AND granted AND pid <> $3::integer
     ) AS listened`,
    [EVENTS_LOCK.classid, EVENTS_LOCK.objid, ownPid ?? 0],
  );
  return row?.listened === true;
}
