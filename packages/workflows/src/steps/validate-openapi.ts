/**
 * The `validate-openapi` step (`kind: builtin, run: validate-openapi`): checks that the output of
 * each phase it needs is a valid **OpenAPI 3.1** document, and answers as a reviewer does —
 * `{verdict: approve | revise, findings}` — so that it can be the reviewer of the phase that writes
 * the API (`reviews: api`). A `revise` is the engine's review loop at work: the document goes back
 * to its agent for another attempt with one finding per error in its feedback, and the step checks
 * the new document; an `approve` lets the reviewed phase complete or open its gate.
 *
 * The checks: `openapi` says 3.1.x; every `$ref` points inside the document (an external one is
 * never fetched: a step reads only its inputs); and the document passes `@readme/openapi-parser`,
 * which checks it against the OpenAPI 3.1 schema and the rules that schema cannot say (unresolved
 * `$ref`s, duplicate `operationId`s, path parameters not declared or not required). Its error
 * messages go into the findings verbatim: they quote the offending lines, which is what an agent
 * needs to fix them. The library's warnings become `suggestion` findings that do not block.
 */
import type { BuiltinInputs, BuiltinStep, JsonValue } from '@baton/engine';

/** The library that judges a document (named in the step's summary). */
const OPENAPI_VALIDATOR = '@readme/openapi-parser';

/** The OpenAPI versions this step accepts. */
const OPENAPI_31 = /^3\.1\.\d+$/;
/** HTTP methods of a path item (the keys that are operations). */
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** External `$ref`s reported at most (a document full of them needs one message, not hundreds). */
const MAX_EXTERNAL_REFS = 10;

type Json = { [key: string]: JsonValue };

/** What the checks found in one document. */
export interface OpenApiReport {
  /** `openapi` as written, or null when it is missing or not text. */
  readonly openapi: string | null;
  /** Each error, in the words of the check that found it (the library's message as it gives it). */
  readonly errors: readonly string[];
  /** The library's warnings (rules it was told to only warn about). */
  readonly warnings: readonly string[];
  readonly paths: number;
  readonly operations: number;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `$ref` that does not point inside the document, with where it is (a JSON pointer). */
function externalRefs(value: JsonValue, at = ''): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => externalRefs(item, `${at}/${index}`));
  if (!isObject(value)) return [];
  const found: { ref: string; at: string }[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && !item.startsWith('#'))
      found.push({ ref: item, at: at || '/' });
    else found.push(...externalRefs(item, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`));
  }
  return found;
}

function countOperations(document: Json): { paths: number; operations: number } {
  const paths = isObject(document.paths) ? document.paths : {};
  let operations = 0;
  for (const item of Object.values(paths))
    if (isObject(item)) operations += Object.keys(item).filter((key) => METHODS.has(key)).length;
  return { paths: Object.keys(paths).length, operations };
}

/**
 * Checks one document. Never throws: a document the library cannot even read is an error of the
 * report. The document is not changed (the library dereferences a copy).
 */
export async function checkOpenApi(document: JsonValue): Promise<OpenApiReport> {
  if (!isObject(document))
    return {
      openapi: null,
      errors: ['the API document must be a JSON object'],
      warnings: [],
      paths: 0,
      operations: 0,
    };
  const openapi = typeof document.openapi === 'string' ? document.openapi : null;
  const counts = countOperations(document);
  if (openapi === null || !OPENAPI_31.test(openapi)) {
    // Another version would be judged by that version's rules: one clear error instead.
    const got = openapi === null ? 'no "openapi" field' : `"openapi": "${openapi}"`;
    return {
      openapi,
      errors: [`the document must be OpenAPI 3.1 ("openapi": "3.1.0" or a later 3.1.x), got ${got}`],
      warnings: [],
      ...counts,
    };
  }
  const errors: string[] = [];
  const external = externalRefs(document);
  for (const { ref, at } of external.slice(0, MAX_EXTERNAL_REFS))
    errors.push(
      `$ref "${ref}" at ${at} points outside the document: the API specification must be one self-contained document — put the schema under components and refer to it as "#/components/…"`,
    );
  if (external.length > MAX_EXTERNAL_REFS)
    errors.push(`… and ${external.length - MAX_EXTERNAL_REFS} more $refs that point outside the document`);

  // Loaded on first use: the library and its JSON Schema compiler cost every `baton` process
  // ~100 ms at start, and only a run that validates an API needs them.
  const { validate } = await import('@readme/openapi-parser');
  let warnings: string[] = [];
  try {
    // A string would be read as a file path or URL: only ever pass the object, and a copy of it,
    // since validating dereferences it in place. Never resolve anything outside the document.
    const result = await validate(structuredClone(document) as never, {
      resolve: { external: false, file: false },
      validate: { errors: { colorize: false } },
    });
    warnings = result.warnings.map((warning) => warning.message);
    if (!result.valid) {
      errors.push(...result.errors.map((error) => error.message));
      if (result.additionalErrors > 0)
        errors.push(
          `… and ${result.additionalErrors} more error${result.additionalErrors === 1 ? '' : 's'} that ${OPENAPI_VALIDATOR} did not list: fix these and it lists the rest`,
        );
    }
  } catch (error) {
    errors.push(
      `${OPENAPI_VALIDATOR} could not read the document: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { openapi, errors, warnings, ...counts };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Judges the documents of `inputs` (by phase id) as a reviewer: `revise` with a blocking finding
 * per error when any document has one, else `approve`. A needed phase missing from the inputs was
 * skipped: there is nothing of it to judge.
 */
export async function validateOpenApi(inputs: BuiltinInputs, needs: readonly string[] = []): Promise<Json> {
  const phases = Object.keys(inputs);
  const several = phases.length > 1;
  const findings: Json[] = [];
  const documents: Json[] = [];
  const verdicts: string[] = [];
  for (const phase of phases) {
    const report = await checkOpenApi(inputs[phase]!);
    const prefix = several ? `${phase}: ` : '';
    for (const message of report.errors)
      findings.push({ severity: 'blocking', message: `${prefix}${message}` });
    for (const message of report.warnings)
      findings.push({ severity: 'suggestion', message: `${prefix}${message}` });
    const { openapi, paths, operations } = report;
    documents.push({
      phase,
      openapi,
      valid: report.errors.length === 0,
      errors: report.errors.length,
      paths,
      operations,
    });
    verdicts.push(
      report.errors.length === 0
        ? `${phase} is a valid OpenAPI ${openapi} document (${plural(paths, 'path')}, ${plural(operations, 'operation')})`
        : `${phase} is not a valid OpenAPI 3.1 document (${plural(report.errors.length, 'error')})`,
    );
  }
  const skipped = needs.filter((phase) => !Object.hasOwn(inputs, phase));
  if (skipped.length > 0)
    verdicts.push(`${skipped.join(' and ')} did not run (skipped): nothing of it was checked`);
  const valid = documents.every((document) => document.valid === true);
  return {
    verdict: valid ? 'approve' : 'revise',
    summary: `${verdicts.length === 0 ? 'No document to check' : verdicts.join('; ')}; checked by ${OPENAPI_VALIDATOR}.`,
    findings,
    documents,
  };
}

/** The `validate-openapi` step: approves valid OpenAPI 3.1 documents, asks to revise the rest. */
export const validateOpenApiStep: BuiltinStep = {
  name: 'validate-openapi',
  description:
    'Checks that each output it needs is a valid OpenAPI 3.1 document (@readme/openapi-parser) and answers as a reviewer: approve, or revise with one blocking finding per error.',
  input: { type: 'object', additionalProperties: { type: 'object' } },
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['verdict', 'summary', 'findings', 'documents'],
    properties: {
      verdict: { enum: ['approve', 'revise'] },
      summary: { type: 'string', minLength: 1 },
      findings: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['severity', 'message'],
          properties: {
            severity: { enum: ['blocking', 'suggestion'] },
            message: { type: 'string', minLength: 1 },
          },
        },
      },
      documents: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['phase', 'openapi', 'valid', 'errors', 'paths', 'operations'],
          properties: {
            phase: { type: 'string' },
            openapi: { type: ['string', 'null'] },
            valid: { type: 'boolean' },
            errors: { type: 'integer', minimum: 0 },
            paths: { type: 'integer', minimum: 0 },
            operations: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  },
  run: async (inputs, context) => ({ ok: true, output: await validateOpenApi(inputs, context.needs) }),
};
