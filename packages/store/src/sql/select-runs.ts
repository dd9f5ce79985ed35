import type { ListRunsOptions, RunSummary } from '@baton/engine';
import type { Queryable } from '../db.js';

interface RunRow extends Omit<RunSummary, 'title' | 'stage'> {
  readonly title: string | null;
  readonly stage: string | null;
}

/**
 * Runs newest first — by `(created_at, id)` descending — of one tenant (or of all when `tenantId`
 * is undefined), filtered by status and workflow, strictly after the `before` position, at most
 * `limit` (all when undefined).
 *
 * The statement's text names only the filters given, so each combination is prepared (and
 * planned) on its own and walks an index in list order: a tenant's list
 * `runs_tenant_created_idx`, with a status `runs_tenant_status_idx`, with a workflow
 * `runs_tenant_workflow_idx`; all tenants' `runs_created_at_idx`. `before` is a row comparison on
 * the index's last two columns, so a page starts where the previous one ended.
 */
export async function selectRuns(
  db: Queryable,
  options: ListRunsOptions,
  tenantId: string | undefined,
): Promise<RunSummary[]> {
  const params: unknown[] = [];
  const param = (value: unknown, type: string): string => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const where: string[] = [];
  if (tenantId !== undefined) where.push(`tenant_id = ${param(tenantId, 'text')}`);
  if (options.status !== undefined) where.push(`status = ${param(options.status, 'text')}`);
  if (options.workflowId !== undefined) where.push(`workflow_id = ${param(options.workflowId, 'text')}`);
  const { before } = options;
  if (before !== undefined) {
    where.push(
      `(created_at, id) < (to_timestamp(${param(before.createdAt, 'float8')} / 1000.0), ${param(before.id, 'text')})`,
    );
  }
  const rows = await db.query<RunRow>(
    `SELECT id, tenant_id AS "tenantId", workflow_id AS "workflowId", status, title, stage,
            round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt",
            round(extract(epoch FROM updated_at) * 1000)::float8 AS "updatedAt"
       FROM runs
      ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
      ORDER BY created_at DESC, id DESC
      LIMIT ${param(options.limit ?? null, 'integer')}`,
    params,
  );
  return rows.map(({ title, stage, ...run }) => ({
    ...run,
    ...(title === null ? {} : { title }),
    ...(stage === null ? {} : { stage }),
  }));
}
