import type { FixtureSet, WorkflowDefinition } from '@baton/engine';
import type { Queryable } from '../db.js';

/** A stored version of a workflow, as `selectWorkflow` reads it. */
export interface WorkflowRow {
  readonly id: string;
  readonly version: number;
  readonly description: string | null;
  readonly definition: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly source: string;
  readonly createdAt: number;
  readonly createdBy: string;
}

/**
 * The tenant's workflow `id` at `version`, or its latest version when `version` is undefined;
 * undefined when the tenant has no such workflow (whatever other tenants have).
 */
export async function selectWorkflow(
  db: Queryable,
  tenantId: string,
  id: string,
  version: number | undefined,
): Promise<WorkflowRow | undefined> {
  const rows = await db.query<WorkflowRow>(
    `SELECT id, version, description, definition, fixtures, source, created_by AS "createdBy",
            round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt"
       FROM workflows
      WHERE tenant_id = $1 AND id = $2 AND ($3::integer IS NULL OR version = $3::integer)
      ORDER BY version DESC
      LIMIT 1`,
    [tenantId, id, version ?? null],
  );
  return rows[0];
}
