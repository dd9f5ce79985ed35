import type { WorkflowDefinition } from '@baton/engine';
import type { Queryable } from '../db.js';

/** The latest version of one workflow, without its source and fixtures. */
export interface LatestWorkflowRow {
  readonly id: string;
  readonly version: number;
  readonly description: string | null;
  readonly definition: WorkflowDefinition;
  readonly createdAt: number;
  readonly createdBy: string;
}

/** The latest version of each of the tenant's workflows, by id. Walks the primary key's order. */
export async function selectLatestWorkflows(db: Queryable, tenantId: string): Promise<LatestWorkflowRow[]> {
  return db.query<LatestWorkflowRow>(
    `SELECT DISTINCT ON (id) id, version, description, definition, created_by AS "createdBy",
            round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt"
       FROM workflows
      WHERE tenant_id = $1
      ORDER BY id, version DESC`,
    [tenantId],
  );
}
