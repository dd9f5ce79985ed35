import type { Queryable } from '../db.js';

/**
 * Lets the current transaction commit without waiting for its WAL to reach disk
 * (`synchronous_commit = off`, this transaction only). Only for a bare claim on PostgreSQL.
 *
 * Why it is safe: a crash of the server within the next fraction of a second (up to three
 * `wal_writer_delay`s) can lose the claim, and nothing else. Losing it puts the task back to
 * `queued` with no `phase_started` in the log, so the same attempt is claimed again — a delay,
 * never a wrong state. The worker that held the lost claim reports its result with a lease token
 * the task no longer has, so that result is ignored (`apply`). Nothing durable can depend on a
 * lost claim: WAL is flushed in order, so any later synchronous commit (a result, a decision)
 * makes every earlier commit durable with it. Results, decisions and run creation keep the
 * default, fully durable commit.
 */
export async function relaxCommit(db: Queryable): Promise<void> {
  await db.query(`SET LOCAL synchronous_commit = off`);
}
