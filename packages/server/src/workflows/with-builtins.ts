/**
 * A tenant's workflows with the built-ins composed in: the built-ins are a read-only source beside
 * the uploads, and a tenant's own workflow of a built-in's id — any version of it — takes the
 * built-in's place for that tenant (in the listing, in `get`, in the runs it starts). Uploads go
 * to the tenant's catalog only: uploading a built-in's id is how a tenant replaces it.
 */
import type { WorkflowLibrary, WorkflowRecord } from '../ports/workflow-catalog.js';
import type { BuiltinWorkflows } from './builtin-workflows.js';

/** `library` (the uploads) with `builtins` under it. */
export function withBuiltins(library: WorkflowLibrary, builtins: BuiltinWorkflows): WorkflowLibrary {
  return {
    async get(tenantId, id, version) {
      const own = await library.get(tenantId, id, version);
      if (own !== undefined) return tenantRecord(own);
      // A version the tenant's own workflow lacks is missing: the built-in stays hidden.
      if (version !== undefined && (await library.get(tenantId, id)) !== undefined) return undefined;
      return builtins.get(id, version);
    },
    async list(tenantId) {
      const own = (await library.list(tenantId)).map(tenantRecord);
      const ids = new Set(own.map((record) => record.id));
      const shown = (await builtins.list()).filter((builtin) => !ids.has(builtin.id));
      return [...own, ...shown].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async create(tenantId, upload) {
      const result = await library.create(tenantId, upload);
      return { created: result.created, workflow: tenantRecord(result.workflow) };
    },
  };
}

function tenantRecord<T extends Pick<WorkflowRecord, 'origin'>>(record: T): T {
  return { ...record, origin: 'tenant' };
}
