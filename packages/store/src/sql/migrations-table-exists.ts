import type { Queryable } from '../db.js';

/** Whether the table of applied migrations exists; a read that takes no lock. */
export async function migrationsTableExists(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ present: boolean }>(
    `SELECT to_regclass('baton_migrations') IS NOT NULL AS present`,
  );
  return rows[0]?.present === true;
}
