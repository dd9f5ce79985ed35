import type { Queryable } from '@baton/store';

/**
 * Deletes the setup tokens of tenants that have an owner, and answers how many. Setup deletes its
 * tenant's tokens itself; one can remain when a server recorded it while another completed setup.
 * Such a token is refused anyway (setup checks for an owner first): this only tidies it away.
 */
export async function deleteUsedSetupTokens(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM setup_tokens s
        WHERE EXISTS (
          SELECT 1 FROM memberships m WHERE m.tenant_id = s.tenant_id AND m.role = 'owner'
        )
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}
