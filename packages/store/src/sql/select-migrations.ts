import type { Queryable } from '../db.js';

/** Versions of the migrations already applied, ascending. */
export async function selectMigrations(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ version: number }>(`SELECT version FROM baton_migrations ORDER BY version`);
  return rows.map((row) => row.version);
}
