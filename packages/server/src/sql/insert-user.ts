import type { Queryable } from '@baton/store';

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: number;
}

/** Inserts a user. Returns false when the email is taken (compared regardless of case). */
export async function insertUser(db: Queryable, user: NewUser): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO users (id, email, password_hash, created_at)
     VALUES ($1::text, $2::text, $3::text, to_timestamp($4::float8 / 1000))
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING id`,
    [user.id, user.email, user.passwordHash, user.createdAt],
  );
  return rows.length === 1;
}
