import type { Queryable } from '../db.js';

/** Records a migration as applied. */
export async function insertMigration(db: Queryable, version: number, name: string): Promise<void> {
  await db.query(`INSERT INTO baton_migrations (version, name) VALUES ($1, $2)`, [version, name]);
}
