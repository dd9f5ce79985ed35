import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway PostgreSQL database. */
export interface TestDatabase {
  /** Its URL: the admin URL with the database name replaced. */
  readonly url: string;
  /** Drops it, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database `<prefix>_<random>` on the server of `adminUrl` (a URL of any database
 * there, as a user allowed to create databases). Tests that share a server each get their own.
 */
export async function createTestDatabase(adminUrl: string, prefix = 'baton_test'): Promise<TestDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`"${prefix}" is not a plain lower-case name`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(adminUrl: string, fn: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}
