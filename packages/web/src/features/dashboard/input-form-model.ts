/**
 * The "new run" form generated from a workflow's input schema (JSON Schema), pure: the schema's
 * properties as fields — strings, numbers, booleans, enums, arrays of strings, nested objects, a
 * text-or-JSON field for a `oneOf` that allows a string — and anything else as a JSON textarea.
 * A field left empty is left out of the inputs, so the workflow's default applies.
 */

type Schema = Readonly<Record<string, unknown>>;

interface FieldBase {
  /** Dotted path of the input (`brief.title`), also the form control's name. */
  readonly path: string;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
}

export type InputField =
  | (FieldBase & { readonly kind: 'string'; readonly default?: string; readonly long: boolean })
  | (FieldBase & { readonly kind: 'number'; readonly integer: boolean; readonly default?: number })
  | (FieldBase & { readonly kind: 'boolean'; readonly default: boolean })
  | (FieldBase & { readonly kind: 'enum'; readonly options: readonly string[]; readonly default?: string })
  | (FieldBase & { readonly kind: 'string-list' })
  | (FieldBase & { readonly kind: 'object'; readonly fields: readonly InputField[] })
  | (FieldBase & { readonly kind: 'text-or-json' })
  | (FieldBase & { readonly kind: 'json' });

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of an object schema with properties; null when there is none (one JSON textarea then). */
export function inputFields(schema: unknown): InputField[] | null {
  if (!isSchema(schema) || !isSchema(schema.properties)) return null;
  return fieldsOf(schema, '');
}

function fieldsOf(schema: Schema, prefix: string): InputField[] {
  const properties = schema.properties as Schema;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) =>
    fieldOf(isSchema(property) ? property : {}, {
      path: prefix === '' ? name : `${prefix}.${name}`,
      label: name,
      required: required.has(name),
      ...(isSchema(property) && typeof property.description === 'string'
        ? { description: property.description }
        : {}),
    }),
  );
}

function fieldOf(schema: Schema, base: FieldBase): InputField {
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives))
    return alternatives.some((alternative) => isSchema(alternative) && alternative.type === 'string')
      ? { ...base, kind: 'text-or-json' }
      : { ...base, kind: 'json' };
  if (Array.isArray(schema.enum) && schema.enum.every((option) => typeof option === 'string'))
    return {
      ...base,
      kind: 'enum',
      options: schema.enum,
      ...(typeof schema.default === 'string' ? { default: schema.default } : {}),
    };
  switch (schema.type) {
    case 'string':
      return {
        ...base,
        kind: 'string',
        long:
          schema.format === 'textarea' || (typeof schema.maxLength === 'number' && schema.maxLength > 200),
        ...(typeof schema.default === 'string' ? { default: schema.default } : {}),
      };
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: schema.type === 'integer',
        ...(typeof schema.default === 'number' ? { default: schema.default } : {}),
      };
    case 'boolean':
      return { ...base, kind: 'boolean', default: schema.default === true };
    case 'array':
      return isSchema(schema.items) && schema.items.type === 'string'
        ? { ...base, kind: 'string-list' }
        : { ...base, kind: 'json' };
    case 'object':
      return isSchema(schema.properties)
        ? { ...base, kind: 'object', fields: fieldsOf(schema, base.path) }
        : { ...base, kind: 'json' };
    default:
      return { ...base, kind: 'json' };
  }
}

/** A problem with what was typed, at the field's path. */
export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

/** What a control holds: its text, or a checkbox's state. */
export type ReadControl = (path: string) => string | boolean | undefined;

/** The inputs the form's controls make, or the problems that keep it from starting the run. */
export function inputsOf(
  fields: readonly InputField[],
  read: ReadControl,
): { readonly inputs: Record<string, unknown> } | { readonly problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const inputs = collect(fields, read, problems);
  return problems.length > 0 ? { problems } : { inputs };
}

function collect(
  fields: readonly InputField[],
  read: ReadControl,
  problems: InputProblem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueOf(field, read, problems);
    if (value !== undefined) out[field.label] = value;
    else if (field.required && field.kind !== 'object')
      problems.push({ path: field.path, message: `${field.path} is required.` });
  }
  return out;
}

function valueOf(field: InputField, read: ReadControl, problems: InputProblem[]): unknown {
  if (field.kind === 'object') {
    const nested = collect(field.fields, read, problems);
    return Object.keys(nested).length === 0 ? undefined : nested;
  }
  const raw = read(field.path);
  if (field.kind === 'boolean') return raw === true;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return undefined;
  switch (field.kind) {
    case 'string':
    case 'enum':
      return text;
    case 'number': {
      const number = Number(text);
      if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number))) {
        problems.push({
          path: field.path,
          message: `${field.path} must be ${field.integer ? 'a whole number' : 'a number'}.`,
        });
        return undefined;
      }
      return number;
    }
    case 'string-list':
      return text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    case 'text-or-json':
      return /^[[{]/.test(text) ? parseJson(field.path, text, problems) : text;
    case 'json':
      return parseJson(field.path, text, problems);
  }
}

function parseJson(path: string, text: string, problems: InputProblem[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    problems.push({ path, message: `${path} is not valid JSON.` });
    return undefined;
  }
}
