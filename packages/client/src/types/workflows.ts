/** The workflows routes (`/api/workflows`). */

/** A phase of a workflow's graph; `label` is its description. */
export interface WorkflowGraphNode {
  readonly id: string;
  readonly kind: string;
  readonly label?: string;
}

/** `to` needs `from`. */
export interface WorkflowGraphEdge {
  readonly from: string;
  readonly to: string;
}

/** Where a workflow comes from: uploaded by the tenant, or built into Baton (read-only). */
export type WorkflowOrigin = 'tenant' | 'builtin';

/** A stored version of a workflow: one the tenant uploaded, or a built-in. */
export interface WorkflowSummary {
  readonly id: string;
  /** The server's version number (1, 2, … per upload that changed something); a built-in's own. */
  readonly version: number;
  readonly description?: string;
  /** A built-in of Baton (an upload of the same id replaces it for the tenant). */
  readonly builtin: boolean;
  readonly origin: WorkflowOrigin;
  readonly phaseCount: number;
  readonly graph: {
    readonly nodes: readonly WorkflowGraphNode[];
    readonly edges: readonly WorkflowGraphEdge[];
  };
  /** ISO 8601: when it was uploaded; for a built-in, when its file was written. */
  readonly createdAt: string;
  /** Who uploaded it; `baton` for a built-in. */
  readonly createdBy: string;
}

/** One version with its normalised definition and the text uploaded. */
export interface WorkflowDetail extends WorkflowSummary {
  readonly definition: Readonly<Record<string, unknown>>;
  /** The text as uploaded; for a built-in, its definition with the fixtures inline. */
  readonly source: string;
}

/** `GET /api/workflows`: the latest version of each workflow. */
export interface WorkflowList {
  readonly workflows: readonly WorkflowSummary[];
}

/** How an uploaded text is written. */
export type WorkflowFormat = 'yaml' | 'json';

/** `POST /api/workflows`: `created` false when the upload equalled the latest version (200, nothing stored). */
export interface UploadedWorkflow {
  readonly created: boolean;
  readonly workflow: WorkflowSummary;
}
