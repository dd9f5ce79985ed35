import type { Queryable } from '@baton/store';

/** What a login needs of a user: its password hash and the tenant it signs in to. */
export interface LoginRow {
  readonly userId: string;
  readonly email: string;
  readonly passwordHash: string;
  /** The user's first membership (the oldest); null when it belongs to no tenant. */
  readonly tenantId: string | null;
  readonly tenantName: string | null;
}

/** The enabled user with this email (compared regardless of case), or undefined. */
export async function selectLogin(db: Queryable, email: string): Promise<LoginRow | undefined> {
  const rows = await db.query<LoginRow>(
    `SELECT u.id AS "userId", u.email, u.password_hash AS "passwordHash",
            m.tenant_id AS "tenantId", m.name AS "tenantName"
       FROM users u
       LEFT JOIN LATERAL (
              SELECT ms.tenant_id, t.name
                FROM memberships ms JOIN tenants t ON t.id = ms.tenant_id
               WHERE ms.user_id = u.id
               ORDER BY ms.created_at, ms.tenant_id
               LIMIT 1) m ON true
      WHERE lower(u.email) = lower($1::text) AND u.disabled_at IS NULL`,
    [email],
  );
  return rows[0];
}
