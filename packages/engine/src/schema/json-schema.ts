/**
 * JSON Schema checks (ajv) for workflow `inputs`, phase `output` and phase `input` schemas.
 *
 * Dialect: draft-07 by default; 2019-09 or 2020-12 when the schema's `$schema` names them. Ajv runs
 * with `strict: false` (unknown keywords and formats are ignored, not errors) and `allErrors: true`
 * (every mismatch is reported). Compiled validators are cached per schema.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Problem } from '../errors.js';
import type { JsonSchema, JsonValue } from '../types.js';

/** The result of {@link compileSchema}. */
export type CompileSchemaResult =
  | { readonly ok: true; readonly validate: ValidateFunction }
  | { readonly ok: false; readonly message: string };

/** The result of {@link validateRunInputs}. */
export type RunInputsResult =
  | { readonly ok: true; readonly value: Record<string, JsonValue> }
  | { readonly ok: false; readonly problems: Problem[] };

/** Options of {@link validateJson}. */
export interface ValidateJsonOptions {
  /** Prefix of every problem's path, e.g. `output` gives `output.title`. Default: none. */
  readonly root?: string;
}

/** `check` never changes the data; `coerce` converts strings to the schema's types and fills in defaults. */
type Mode = 'check' | 'coerce';
type Dialect = 'draft-07' | '2019-09' | '2020-12';
type AjvInstance = Ajv | Ajv2019 | Ajv2020;

/** Drop the text-keyed cache when it grows past this many schemas. */
const MAX_CACHED = 1000;

const instances = new Map<string, AjvInstance>();
const byText = new Map<string, CompileSchemaResult>();
const byObject = new WeakMap<object, Map<Mode, CompileSchemaResult>>();

/**
 * Compiles a JSON Schema. Fails with ajv's message when the schema is not a valid schema of its
 * dialect, references something that cannot be resolved, or is not a schema at all (neither an
 * object nor a boolean). The same schema (same object, or same JSON text) compiles only once.
 */
export function compileSchema(schema: JsonSchema): CompileSchemaResult {
  return compile(schema, 'check');
}

/**
 * Checks `value` against `schema` and returns every mismatch as a problem (none when it matches).
 * Paths are readable: ajv's `/items/0/title` becomes `items[0].title` (after `options.root`); a
 * missing required property or a forbidden additional one is reported at that property's own
 * path. An invalid schema gives one problem, `invalid JSON Schema: …`. Never changes `value`.
 */
export function validateJson(
  schema: JsonSchema,
  value: unknown,
  options: ValidateJsonOptions = {},
): Problem[] {
  const root = options.root ?? '';
  const compiled = compileSchema(schema);
  if (!compiled.ok) return [{ path: root, message: `invalid JSON Schema: ${compiled.message}` }];
  return compiled.validate(value) ? [] : renderErrors(compiled.validate.errors ?? [], root);
}

/**
 * Checks a run's inputs against the workflow's `inputs` schema. Inputs given on a command line
 * arrive as strings, so values are coerced to the schema's types (`"3"` to `3`, `"true"` to
 * `true`) and the schema's defaults are filled in, on a copy. Without a schema the inputs are
 * accepted as they are. Problems have paths such as `inputs.repo`.
 */
export function validateRunInputs(
  schema: JsonSchema | undefined,
  inputs: Readonly<Record<string, unknown>>,
): RunInputsResult {
  let value: Record<string, JsonValue>;
  try {
    value = structuredClone(inputs) as Record<string, JsonValue>;
  } catch {
    return {
      ok: false,
      problems: [{ path: 'inputs', message: 'must be plain data (strings, numbers, lists, mappings)' }],
    };
  }
  if (schema === undefined) return { ok: true, value };
  const compiled = compile(schema, 'coerce');
  if (!compiled.ok)
    return { ok: false, problems: [{ path: 'inputs', message: `invalid JSON Schema: ${compiled.message}` }] };
  if (compiled.validate(value)) return { ok: true, value };
  return { ok: false, problems: renderErrors(compiled.validate.errors ?? [], 'inputs') };
}

function compile(schema: JsonSchema, mode: Mode): CompileSchemaResult {
  if (
    typeof schema !== 'boolean' &&
    (typeof schema !== 'object' || schema === null || Array.isArray(schema))
  ) {
    return { ok: false, message: 'a schema must be an object or a boolean' };
  }
  const perObject = typeof schema === 'object' ? byObject.get(schema) : undefined;
  const cachedForObject = perObject?.get(mode);
  if (cachedForObject !== undefined) return cachedForObject;

  let key: string | undefined;
  try {
    key = `${mode}:${JSON.stringify(schema)}`;
  } catch {
    key = undefined; // Not JSON (e.g. cyclic): compile without the text cache.
  }
  let result = key === undefined ? undefined : byText.get(key);
  if (result === undefined) {
    result = compileFresh(schema, mode);
    if (key !== undefined) {
      if (byText.size >= MAX_CACHED) byText.clear();
      byText.set(key, result);
    }
  }
  if (typeof schema === 'object') {
    const entry = perObject ?? new Map<Mode, CompileSchemaResult>();
    entry.set(mode, result);
    if (perObject === undefined) byObject.set(schema, entry);
  }
  return result;
}

function compileFresh(schema: JsonSchema, mode: Mode): CompileSchemaResult {
  const ajv = ajvFor(dialectOf(schema), mode);
  try {
    const validate = ajv.compile(schema);
    // An async validator returns a promise, which would always look like a pass.
    if ('$async' in validate && validate.$async === true)
      return { ok: false, message: 'asynchronous schemas ($async) are not supported' };
    return { ok: true, validate };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    // Forget the schema inside ajv: our caches keep the validator, and two different schemas
    // that share an `$id` must both compile.
    if (typeof schema === 'object') ajv.removeSchema(schema);
  }
}

function dialectOf(schema: JsonSchema): Dialect {
  const declared = typeof schema === 'object' ? schema.$schema : undefined;
  if (typeof declared === 'string') {
    if (declared.includes('2020-12')) return '2020-12';
    if (declared.includes('2019-09')) return '2019-09';
  }
  return 'draft-07';
}

function ajvFor(dialect: Dialect, mode: Mode): AjvInstance {
  const key = `${dialect}:${mode}`;
  let ajv = instances.get(key);
  if (ajv === undefined) {
    const options = {
      strict: false,
      allErrors: true,
      logger: false as const,
      ...(mode === 'coerce' ? { coerceTypes: true, useDefaults: true } : {}),
    };
    ajv =
      dialect === '2020-12'
        ? new Ajv2020(options)
        : dialect === '2019-09'
          ? new Ajv2019(options)
          : new Ajv(options);
    instances.set(key, ajv);
  }
  return ajv;
}

function renderErrors(errors: readonly ErrorObject[], root: string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    let path = pointerToPath(error.instancePath, root);
    let message = error.message ?? `must satisfy "${error.keyword}"`;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      path = appendKey(path, params.missingProperty);
      message = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path = appendKey(path, params.additionalProperty);
      message = 'is not allowed (the schema does not define this property)';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const id = `${path}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push({ path, message });
  }
  return problems;
}

/** `/items/0/a~1b` → `items[0]["a/b"]`, after `root`. */
function pointerToPath(pointer: string, root: string): string {
  if (pointer === '') return root;
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : appendKey(path, segment)),
      root,
    );
}

function appendKey(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}
