/**
 * The workflows a tenant can start runs of: the definitions uploaded to the server and the
 * built-ins (a tenant's own workflow of a built-in's id takes its place for that tenant). The
 * store implements the uploaded part on the database, `workflows/with-builtins.ts` adds the
 * built-ins; the runs routes resolve `POST /api/runs {workflow}` through it.
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

/** Where a workflow comes from: uploaded by the tenant, or built into Baton (read-only). */
type WorkflowOrigin = 'tenant' | 'builtin';

/** One stored version as the workflows routes show it. */
export interface WorkflowRecord extends StoredWorkflow {
  /** Absent: `tenant` (the database's catalog does not say). */
  readonly origin?: WorkflowOrigin;
  readonly description?: string;
  /** The text as uploaded. */
  readonly source: string;
  /** Who uploaded it (the principal's actor). */
  readonly createdBy: string;
}

/** The latest version of a workflow in a listing: no source, no fixtures. */
export type WorkflowListingRecord = Omit<WorkflowRecord, 'source' | 'fixtures'>;

/** A validated upload: the normalised definition, its (inline) fixtures and the uploaded text. */
export interface WorkflowUpload {
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly source: string;
  readonly createdBy: string;
}

/**
 * The catalog with what the workflows routes need besides `get`: the listing and uploads. The
 * store's `createWorkflowCatalog(db)` implements it.
 */
export interface WorkflowLibrary extends WorkflowCatalog {
  get(tenantId: string, id: string, version?: number): Promise<WorkflowRecord | undefined>;
  /** The latest version of each of the tenant's workflows, by id. */
  list(tenantId: string): Promise<WorkflowListingRecord[]>;
  /**
   * Stores `upload` as the next version of its id — or, when its definition and fixtures equal
   * the latest version's, stores nothing and answers that version (`created: false`).
   */
  create(
    tenantId: string,
    upload: WorkflowUpload,
  ): Promise<{ readonly created: boolean; readonly workflow: WorkflowRecord }>;
}
