import type { Queryable } from '../db.js';

/**
 * Takes the migration lock for the rest of the transaction.
 *
 * Locking: a transaction-scoped advisory lock on a fixed key. Two processes that start at once on
 * one PostgreSQL database would otherwise both see version N missing and both run it (the second
 * failing on "relation already exists", or worse, half-applying a data migration);
 * `CREATE TABLE IF NOT EXISTS baton_migrations` itself is not safe against a concurrent creator
 * either. With the lock, the second process waits until the first commits and then sees the
 * version recorded. It is safe because the lock is released by COMMIT or ROLLBACK — a crashed
 * migrator cannot leave it held — and nothing else takes this key. On PGlite (one session) the
 * lock is uncontended and free.
 */
export async function lockMigrations(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('baton_migrations'))`);
}
