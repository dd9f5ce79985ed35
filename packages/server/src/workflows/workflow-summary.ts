/**
 * What the API shows of a stored workflow version: its id, version and description, whether it is
 * a built-in, how many phases it has, and its phase graph (nodes and the `needs` edges) for the web UI to draw.
 */
import type { z } from '@hono/zod-openapi';
import type { WorkflowDefinition } from '@baton/engine';
import type { workflowSummarySchema } from '../schemas/workflow.js';
import type { WorkflowListingRecord } from '../ports/workflow-catalog.js';

/** What the API shows of a version (`WorkflowSummary` in the OpenAPI document). */
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;

/** The summary of a stored version. */
export function workflowSummary(record: WorkflowListingRecord): WorkflowSummary {
  return {
    id: record.id,
    version: record.version,
    ...(record.description === undefined ? {} : { description: record.description }),
    builtin: record.origin === 'builtin',
    origin: record.origin ?? 'tenant',
    phaseCount: record.workflow.phases.length,
    graph: phaseGraph(record.workflow),
    createdAt: new Date(record.createdAt).toISOString(),
    createdBy: record.createdBy,
  };
}

/** The workflow's phases in definition order, and an edge from each need to its phase. */
function phaseGraph(workflow: WorkflowDefinition): WorkflowSummary['graph'] {
  const nodes = workflow.phases.map((phase) => ({
    id: phase.id,
    kind: phase.kind,
    ...(phase.description === undefined ? {} : { label: phase.description }),
  }));
  const edges = workflow.phases.flatMap((phase) => phase.needs.map((need) => ({ from: need, to: phase.id })));
  return { nodes, edges };
}
