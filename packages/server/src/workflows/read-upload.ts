/**
 * An uploaded workflow (`POST /api/workflows`): its content type picks the format (YAML or JSON),
 * its bytes must be UTF-8 text, and the text is validated exactly as `baton validate` validates a
 * file — except that the definition must be self-contained (fixtures inline, no paths). Every
 * refusal is an {@link ApiError}: 415 for another content type, 422 `INVALID_WORKFLOW` with the
 * problems for anything wrong with the text (a syntax error included).
 */
import { formatProblems, type BuiltinSteps, type Problem } from '@baton/engine';
import { decodeText, loadWorkflowText } from '@baton/runtime';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import type { WorkflowUpload } from '../ports/workflow-catalog.js';

/** How an uploaded text is read. */
export type UploadFormat = 'yaml' | 'json';

const FORMAT_OF: Readonly<Record<string, UploadFormat>> = {
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'application/json': 'json',
};

/** The format of a `Content-Type` header; 415 `UNSUPPORTED_MEDIA_TYPE` for any other (or none, or a charset other than UTF-8). */
export function uploadFormat(contentType: string | undefined): UploadFormat {
  const [essence = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim());
  const format = FORMAT_OF[essence.toLowerCase()];
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  if (format !== undefined && (charset === undefined || /^utf-?8$/i.test(charset))) return format;
  throw new ApiError(
    ApiErrorCode.unsupportedMediaType,
    `send the workflow as YAML (Content-Type: application/yaml) or JSON (application/json) in UTF-8, not ${contentType === undefined ? 'without a Content-Type' : JSON.stringify(contentType)}`,
  );
}

/**
 * Validates an uploaded workflow's bytes and returns the upload to store (`createdBy` the
 * principal's actor); throws 422 `INVALID_WORKFLOW` with every problem. `builtinSteps`: the
 * steps the server runs — a `builtin` phase naming another is a problem listing them.
 */
export async function readUpload(
  bytes: Uint8Array,
  format: UploadFormat,
  createdBy: string,
  builtinSteps?: BuiltinSteps,
): Promise<WorkflowUpload> {
  const fileName = `workflow.${format}`;
  const source = decodeText(bytes);
  if (source === undefined) {
    throw invalid([
      {
        path: fileName,
        message: 'is not UTF-8 text (a NUL byte or invalid UTF-8): send the YAML or JSON text',
      },
    ]);
  }
  const result = await loadWorkflowText(source, {
    format,
    fileName,
    allowFixturePaths: false,
    ...(builtinSteps === undefined ? {} : { builtinSteps }),
  });
  if (!result.ok) throw invalid(result.problems);
  const { workflow, fixtures } = result.loaded;
  // PostgreSQL's jsonb cannot hold U+0000, which JSON's "\u0000" escape can still produce.
  if (JSON.stringify([workflow, fixtures]).includes('\\u0000')) {
    throw invalid([
      {
        path: fileName,
        message: 'holds a NUL character (\\u0000), which the server cannot store: remove it',
      },
    ]);
  }
  return { workflow, fixtures, source, createdBy };
}

function invalid(problems: readonly Problem[]): ApiError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see problems)` : '';
  return new ApiError(
    ApiErrorCode.invalidWorkflow,
    `the workflow is invalid: ${formatProblems(first === undefined ? [] : [first])}${more}`,
    { problems },
  );
}
