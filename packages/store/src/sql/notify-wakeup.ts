import type { Queryable } from '../db.js';

/** The channel of cross-process wake-ups (`LISTEN baton_wakeup`). */
export const WAKEUP_CHANNEL = 'baton_wakeup';

/**
 * Queues a wake-up for every listening session, delivered when (and only if) the transaction
 * commits. Empty payload: listeners re-read the queue and the runs. The store sends at most one
 * per transaction (PostgreSQL would fold identical ones of a transaction anyway).
 */
export async function notifyWakeup(db: Queryable): Promise<void> {
  await db.query(`NOTIFY ${WAKEUP_CHANNEL}`);
}
