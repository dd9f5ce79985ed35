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

/** A stored version of a workflow. */
export interface WorkflowSummary {
  readonly id: string;
  /** The server's version number (1, 2, … per upload that changed something). */
  readonly version: number;
  readonly description?: string;
  readonly phaseCount: number;
  readonly graph: {
    readonly nodes: readonly WorkflowGraphNode[];
    readonly edges: readonly WorkflowGraphEdge[];
  };
  /** ISO 8601. */
  readonly createdAt: string;
  readonly createdBy: string;
}

/** One version with its normalised definition and the text uploaded. */
export interface WorkflowDetail extends WorkflowSummary {
  readonly definition: Readonly<Record<string, unknown>>;
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
