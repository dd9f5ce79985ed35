import type { Queryable } from '../db.js';

/** Creates the table of applied migrations when missing. Call it holding {@link lockMigrations}. */
export async function createMigrationsTable(db: Queryable): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS baton_migrations (
       version    integer PRIMARY KEY,
       name       text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
}
