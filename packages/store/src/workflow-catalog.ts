/**
 * The workflows uploaded to a server, per tenant, every version kept (`workflows`, migration
 * 0010). Every query names the tenant: one tenant never reads or numbers another's workflows.
 *
 * Versions: the first upload of an id is version 1; an upload whose definition and fixtures
 * differ from the latest version's is the next version; an upload equal to the latest (the
 * definition's own `version` field aside) makes no row and answers the latest version. The stored
 * definition's `version` is set to the catalog's number, so a run records the version it ran.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FixtureSet, WorkflowDefinition } from '@baton/engine';
import type { Queryable } from './db.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { insertWorkflow } from './sql/insert-workflow.js';
import { selectLatestWorkflows, type LatestWorkflowRow } from './sql/select-latest-workflows.js';
import { selectWorkflow, type WorkflowRow } from './sql/select-workflow.js';

/** One stored version of a tenant's workflow. */
export interface WorkflowVersion {
  readonly id: string;
  readonly version: number;
  readonly description?: string;
  /** The normalised definition; its `version` is this version. */
  readonly workflow: WorkflowDefinition;
  /** What a run of it starts with (self-contained: inline fixtures only). */
  readonly fixtures: FixtureSet;
  /** The text as uploaded. */
  readonly source: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Who uploaded it (the principal's actor). */
  readonly createdBy: string;
}

/** The latest version of a workflow as a listing shows it: no source, no fixtures. */
export type WorkflowListing = Omit<WorkflowVersion, 'source' | 'fixtures'>;

/** An upload: a validated definition with its fixtures and the text it came from. */
export interface NewWorkflowVersion {
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly source: string;
  readonly createdBy: string;
}

/** What {@link WorkflowCatalogStore.create} did: `created` false when the latest version was equal. */
export interface CreateWorkflowResult {
  readonly created: boolean;
  readonly workflow: WorkflowVersion;
}

/** The workflows of every tenant, on the database. */
export interface WorkflowCatalogStore {
  /** The tenant's workflow `id` at `version` (default: the latest), or undefined. */
  get(tenantId: string, id: string, version?: number): Promise<WorkflowVersion | undefined>;
  /** The latest version of each of the tenant's workflows, by id. */
  list(tenantId: string): Promise<WorkflowListing[]>;
  /**
   * Stores an upload as the next version of its id, or answers the latest version when it is
   * equal to it. Fails with a retryable `STORAGE_ERROR` when other uploads of the same id keep
   * taking the next number first, or when the tenant does not exist.
   */
  create(tenantId: string, upload: NewWorkflowVersion): Promise<CreateWorkflowResult>;
}

export interface WorkflowCatalogOptions {
  /** Epoch milliseconds now (default `Date.now`). */
  readonly now?: () => number;
}

/** Tries at taking the next version number before giving up (each lost only to another upload). */
const MAX_CREATE_ATTEMPTS = 5;

/** The workflow catalog on `db` (PGlite or PostgreSQL, migrated). */
export function createWorkflowCatalog(
  db: Queryable,
  options: WorkflowCatalogOptions = {},
): WorkflowCatalogStore {
  const now = options.now ?? Date.now;
  return {
    async get(tenantId, id, version) {
      const row = await selectWorkflow(db, tenantId, id, version);
      return row === undefined ? undefined : fromRow(row);
    },
    async list(tenantId) {
      return (await selectLatestWorkflows(db, tenantId)).map(fromListingRow);
    },
    /*
     * No lock: the next number is the latest plus one, and the primary key (tenant_id, id,
     * version) lets one insert of a number win. A loser (a concurrent upload of the same id took
     * the number) reads the latest again: equal content answers it, other content tries the next
     * number. Each retry is lost only to an upload that committed, so the loop makes progress.
     */
    async create(tenantId, upload) {
      const id = upload.workflow.id;
      for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt++) {
        const latest = await selectWorkflow(db, tenantId, id, undefined);
        if (latest !== undefined && sameContent(latest, upload)) {
          return { created: false, workflow: fromRow(latest) };
        }
        const version = (latest?.version ?? 0) + 1;
        const workflow: WorkflowDefinition = { ...upload.workflow, version };
        const createdAt = now();
        const inserted = await insertWorkflow(db, {
          tenantId,
          id,
          version,
          description: workflow.description,
          definition: JSON.stringify(workflow),
          fixtures: JSON.stringify(upload.fixtures),
          source: upload.source,
          createdAt,
          createdBy: upload.createdBy,
        });
        if (inserted) {
          const stored = { ...upload, workflow, id, version, createdAt };
          return { created: true, workflow: withDescription(stored, workflow.description) };
        }
      }
      throw new StoreError(
        StoreErrorCode.storage,
        `other uploads of workflow "${id}" kept taking the next version; try again`,
        { retryable: true },
      );
    },
  };
}

/** Same definition (its `version` aside) and same fixtures. */
function sameContent(latest: WorkflowRow, upload: NewWorkflowVersion): boolean {
  return (
    isDeepStrictEqual({ ...latest.definition, version: 0 }, { ...upload.workflow, version: 0 }) &&
    isDeepStrictEqual(latest.fixtures, upload.fixtures)
  );
}

function fromRow(row: WorkflowRow): WorkflowVersion {
  const { definition, description, ...rest } = row;
  return withDescription({ ...rest, workflow: definition }, description ?? undefined);
}

function fromListingRow(row: LatestWorkflowRow): WorkflowListing {
  const { definition, description, ...rest } = row;
  return withDescription({ ...rest, workflow: definition }, description ?? undefined);
}

function withDescription<T extends object>(
  value: T,
  description: string | undefined,
): T & { description?: string } {
  return description === undefined ? value : { ...value, description };
}
