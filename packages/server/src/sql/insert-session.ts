import type { Queryable } from '@baton/store';

export interface NewSession {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Inserts a session of the user in the tenant. */
export async function insertSession(db: Queryable, session: NewSession): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, tenant_id, user_id, token_hash, created_at, expires_at, last_seen_at)
     VALUES ($1::text, $2::text, $3::text, $4::text,
             to_timestamp($5::float8 / 1000), to_timestamp($6::float8 / 1000), to_timestamp($5::float8 / 1000))`,
    [session.id, session.tenantId, session.userId, session.tokenHash, session.createdAt, session.expiresAt],
  );
}
