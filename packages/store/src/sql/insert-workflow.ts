import type { Queryable } from '../db.js';

/** A row of `workflows` to insert (see `migrations/0010_workflows.sql`). */
export interface NewWorkflowRow {
  readonly tenantId: string;
  readonly id: string;
  readonly version: number;
  readonly description: string | undefined;
  /** The normalised definition, as JSON text. */
  readonly definition: string;
  /** The fixture set, as JSON text. */
  readonly fixtures: string;
  readonly source: string;
  readonly createdAt: number;
  readonly createdBy: string;
}

/**
 * Inserts one version of a tenant's workflow. Returns false, inserting nothing, when that version
 * exists already (another upload took the number first).
 */
export async function insertWorkflow(db: Queryable, row: NewWorkflowRow): Promise<boolean> {
  const rows = await db.query<{ version: number }>(
    `INSERT INTO workflows (tenant_id, id, version, description, definition, fixtures, source, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, to_timestamp($8 / 1000.0), $9)
     ON CONFLICT (tenant_id, id, version) DO NOTHING
     RETURNING version`,
    [
      row.tenantId,
      row.id,
      row.version,
      row.description ?? null,
      row.definition,
      row.fixtures,
      row.source,
      row.createdAt,
      row.createdBy,
    ],
  );
  return rows.length === 1;
}
