/**
 * `/ready`: the database answers, and every migration this Baton knows has run (a server started
 * against a database another, newer or older, Baton is migrating is not ready yet).
 */
import { loadMigrations, type Db } from '@baton/store';

export function databaseReadiness(db: Db): () => Promise<boolean> {
  let expected: number | undefined;
  return async () => {
    expected ??= (await loadMigrations()).length;
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM baton_migrations');
    return (rows[0]?.n ?? 0) >= expected;
  };
}
