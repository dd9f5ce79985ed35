import type { Http, MutationOptions, RequestOptions } from '../http.js';
import type {
  UploadedWorkflow,
  WorkflowDetail,
  WorkflowFormat,
  WorkflowList,
  WorkflowSummary,
} from '../types/workflows.js';

/** `/api/workflows`. */
export interface WorkflowsApi {
  /** `GET /api/workflows`: the latest version of each. */
  list(options?: RequestOptions): Promise<WorkflowList>;
  /** `GET /api/workflows/:id` (`version` default: the latest); `WORKFLOW_NOT_FOUND` when there is none. */
  get(id: string, options?: RequestOptions & { readonly version?: number }): Promise<WorkflowDetail>;
  /**
   * `POST /api/workflows`: uploads a definition's text (fixtures inline). `INVALID_WORKFLOW` with
   * `problems` when it is invalid.
   */
  upload(text: string, format: WorkflowFormat, options?: MutationOptions): Promise<UploadedWorkflow>;
}

const CONTENT_TYPE: Readonly<Record<WorkflowFormat, string>> = {
  yaml: 'application/yaml',
  json: 'application/json',
};

export function workflowsApi(http: Http): WorkflowsApi {
  return {
    list: (options) => http({ method: 'GET', path: ['api', 'workflows'], options }),
    get: (id, options) =>
      http({ method: 'GET', path: ['api', 'workflows', id], query: { version: options?.version }, options }),
    upload: async (content, format, options) => {
      const { status, body } = await http.withStatus<WorkflowSummary>({
        method: 'POST',
        path: ['api', 'workflows'],
        text: { content, contentType: CONTENT_TYPE[format] },
        options,
      });
      return { created: status === 201, workflow: body };
    },
  };
}
