/**
 * The workflows a tenant can start runs of: the definitions uploaded to the server (and, later,
 * the built-ins). The workflows module implements it on the database; the runs routes resolve
 * `POST /api/runs {workflow}` through it.
 */
import type { FixtureSet, WorkflowDefinition } from '@baton/engine';

/** One stored version of a workflow, self-contained: its fixtures travel with it. */
export interface StoredWorkflow {
  readonly id: string;
  readonly version: number;
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly createdAt: number;
}

export interface WorkflowCatalog {
  /**
   * The tenant's workflow `id` at `version` (default: its latest version), or undefined when the
   * tenant has no such workflow (another tenant's reads as missing).
   */
  get(tenantId: string, id: string, version?: number): Promise<StoredWorkflow | undefined>;
}
