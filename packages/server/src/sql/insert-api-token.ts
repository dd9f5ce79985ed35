import type { Queryable } from '@baton/store';

export interface NewApiToken {
  readonly id: string;
  readonly tenantId: string;
  /** Undefined for a token made over the home's socket without an account: it acts as the local owner. */
  readonly userId: string | undefined;
  readonly name: string;
  readonly tokenHash: string;
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number | undefined;
}

/** Inserts an API token. */
export async function insertApiToken(db: Queryable, token: NewApiToken): Promise<void> {
  await db.query(
    `INSERT INTO api_tokens (id, tenant_id, user_id, name, token_hash, prefix, created_by, created_at, expires_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text,
             to_timestamp($8::float8 / 1000), to_timestamp($9::float8 / 1000))`,
    [
      token.id,
      token.tenantId,
      token.userId ?? null,
      token.name,
      token.tokenHash,
      token.prefix,
      token.createdBy,
      token.createdAt,
      token.expiresAt ?? null,
    ],
  );
}
