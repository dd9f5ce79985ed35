/**
 * The built-in workflows as the server serves them (`@baton/workflows`): read-only, the same for
 * every tenant, each at its definition's version. A built-in is served as if uploaded in its
 * exported form — one text with its fixtures inline, validated as an upload is — so a run of it
 * carries its fixtures like any other run, and `source` is a copy a tenant may change and upload.
 *
 * They are read once, on first use (they do not change while the server runs); a built-in that
 * does not load fails the request (`BUILTIN_INVALID`: a bug in Baton), and the next request tries
 * again.
 */
import { stat } from 'node:fs/promises';
import { formatProblems, type BuiltinSteps } from '@baton/engine';
import { loadWorkflowText } from '@baton/runtime';
import {
  BUILTINS_DIR,
  exportBuiltin,
  listBuiltins,
  WorkflowsError,
  WorkflowsErrorCode,
} from '@baton/workflows';
import type { WorkflowRecord } from '../ports/workflow-catalog.js';

/** Who a built-in is `createdBy`. */
const BUILTIN_AUTHOR = 'baton';

/** The built-ins, by id. */
export interface BuiltinWorkflows {
  /** Every built-in, by id. */
  list(): Promise<readonly WorkflowRecord[]>;
  /** The built-in `id` (at `version`, when given: it has only its own), or undefined. */
  get(id: string, version?: number): Promise<WorkflowRecord | undefined>;
}

/**
 * The built-ins of `dir` (default: those `@baton/workflows` ships), checked against the builtin
 * steps the server runs.
 */
export function createBuiltinWorkflows(
  dir: string = BUILTINS_DIR,
  builtinSteps?: BuiltinSteps,
): BuiltinWorkflows {
  let loading: Promise<readonly WorkflowRecord[]> | undefined;
  const all = (): Promise<readonly WorkflowRecord[]> => {
    loading ??= loadAll(dir, builtinSteps).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    list: all,
    async get(id, version) {
      const record = (await all()).find((builtin) => builtin.id === id);
      return record !== undefined && (version === undefined || version === record.version)
        ? record
        : undefined;
    },
  };
}

async function loadAll(dir: string, builtinSteps: BuiltinSteps | undefined): Promise<WorkflowRecord[]> {
  const steps = builtinSteps === undefined ? {} : { builtinSteps };
  const records: WorkflowRecord[] = [];
  for (const builtin of await listBuiltins({ dir, ...steps })) {
    const source = await exportBuiltin(builtin.name, { dir, ...steps });
    const result = await loadWorkflowText(source, {
      ...steps,
      allowFixturePaths: false,
      fileName: `${builtin.name}.yaml`,
    });
    if (!result.ok) {
      throw new WorkflowsError(
        WorkflowsErrorCode.builtinInvalid,
        `the built-in workflow "${builtin.name}" does not load as exported (a bug in Baton):\n${formatProblems(result.problems)}`,
        { problems: result.problems },
      );
    }
    const { workflow, fixtures } = result.loaded;
    records.push({
      id: workflow.id,
      version: workflow.version,
      ...(workflow.description === undefined ? {} : { description: workflow.description }),
      origin: 'builtin',
      workflow,
      fixtures,
      source,
      createdAt: (await stat(builtin.path)).mtimeMs,
      createdBy: BUILTIN_AUTHOR,
    });
  }
  return records;
}
