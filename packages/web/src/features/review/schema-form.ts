/**
 * A small form generated from a JSON Schema (a human phase's output schema): strings, numbers,
 * booleans, enums, arrays of strings and nested objects; anything else (unions, arrays of objects,
 * `const`, no type) falls back to a JSON text field. Pure: {@link formOf} builds the fields,
 * {@link draftOf} the form's starting values, {@link valueOf} the JSON to submit — or the problems,
 * each with the path of its field, so the form can say which field is wrong.
 */

/** What every field has. `key` is the property name ('' for the root). */
interface FieldBase {
  readonly key: string;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
}

export type FormField =
  | (FieldBase & {
      readonly kind: 'text';
      readonly multiline: boolean;
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly pattern?: string;
    })
  | (FieldBase & {
      readonly kind: 'number';
      readonly integer: boolean;
      readonly minimum?: number;
      readonly maximum?: number;
    })
  | (FieldBase & { readonly kind: 'boolean' })
  | (FieldBase & { readonly kind: 'enum'; readonly options: readonly (string | number | boolean)[] })
  | (FieldBase & { readonly kind: 'string-list'; readonly minItems?: number })
  | (FieldBase & { readonly kind: 'object'; readonly fields: readonly FormField[] })
  | (FieldBase & { readonly kind: 'json' });

/**
 * What the form holds while a person types: text for text, numbers, enums (the option as text)
 * and JSON; a boolean for a checkbox; a list of strings; an object of drafts.
 */
export type FormDraft = string | boolean | readonly string[] | { readonly [key: string]: FormDraft };

export interface FormProblem {
  /** The field's path: `.`-joined keys from the root ('' for the root itself). */
  readonly path: string;
  readonly message: string;
}

export type FormResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: readonly FormProblem[] };

type Schema = Readonly<Record<string, unknown>>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return isSchema(value);
}

/** `acceptanceCriteria` → `Acceptance criteria`. */
export function labelOf(key: string): string {
  if (key === '') return 'Value';
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** The fields of `schema` (the root field; an object's fields are its `fields`). */
export function formOf(schema: unknown, key = '', required = true): FormField {
  const base = (s: Schema): FieldBase => ({
    key,
    label: typeof s.title === 'string' ? s.title : labelOf(key),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    required,
  });
  if (!isSchema(schema)) return { key, label: labelOf(key), required, kind: 'json' };
  const b = base(schema);
  const options = schema.enum;
  if (Array.isArray(options) && options.length > 0 && options.every(isPrimitive))
    return { ...b, kind: 'enum', options };
  switch (schema.type) {
    case 'string': {
      const maxLength = num(schema.maxLength);
      const minLength = num(schema.minLength);
      return {
        ...b,
        kind: 'text',
        multiline: maxLength === undefined || maxLength > 200,
        ...(minLength === undefined ? {} : { minLength }),
        ...(maxLength === undefined ? {} : { maxLength }),
        ...(typeof schema.pattern === 'string' ? { pattern: schema.pattern } : {}),
      };
    }
    case 'number':
    case 'integer': {
      const minimum = num(schema.minimum);
      const maximum = num(schema.maximum);
      return {
        ...b,
        kind: 'number',
        integer: schema.type === 'integer',
        ...(minimum === undefined ? {} : { minimum }),
        ...(maximum === undefined ? {} : { maximum }),
      };
    }
    case 'boolean':
      return { ...b, kind: 'boolean' };
    case 'array': {
      const items = schema.items;
      const minItems = num(schema.minItems);
      if (isSchema(items) && items.type === 'string' && items.enum === undefined)
        return { ...b, kind: 'string-list', ...(minItems === undefined ? {} : { minItems }) };
      return { ...b, kind: 'json' };
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const needed = new Set(Array.isArray(schema.required) ? schema.required.filter(isString) : []);
      const fields = Object.entries(properties).map(([name, property]) =>
        formOf(property, name, needed.has(name)),
      );
      return fields.length === 0 ? { ...b, kind: 'json' } : { ...b, kind: 'object', fields };
    }
    default:
      return { ...b, kind: 'json' };
  }
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The form's starting values: `current` where it fits the field, else empty. */
export function draftOf(field: FormField, current: unknown): FormDraft {
  switch (field.kind) {
    case 'text':
      return typeof current === 'string' ? current : '';
    case 'number':
      return typeof current === 'number' ? String(current) : '';
    case 'boolean':
      return current === true;
    case 'enum':
      return isPrimitive(current) && field.options.includes(current) ? String(current) : '';
    case 'string-list':
      return Array.isArray(current) ? current.filter(isString) : [];
    case 'object': {
      const values = isRecord(current) ? current : {};
      return Object.fromEntries(field.fields.map((child) => [child.key, draftOf(child, values[child.key])]));
    }
    case 'json':
      return current === undefined ? '' : JSON.stringify(current, null, 2);
  }
}

/** The value `draft` stands for, checked against its field; undefined for an empty optional one. */
export function valueOf(field: FormField, draft: FormDraft): FormResult {
  const problems: FormProblem[] = [];
  const value = read(field, draft, '', problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

function read(field: FormField, draft: FormDraft, path: string, problems: FormProblem[]): unknown {
  const problem = (message: string) => {
    problems.push({ path, message });
    return undefined;
  };
  const textOf = typeof draft === 'string' ? draft : '';
  switch (field.kind) {
    case 'text': {
      if (textOf === '') return field.required ? problem('is required') : undefined;
      if (field.minLength !== undefined && textOf.length < field.minLength)
        return problem(`needs at least ${field.minLength} characters`);
      if (field.maxLength !== undefined && textOf.length > field.maxLength)
        return problem(`takes at most ${field.maxLength} characters`);
      if (field.pattern !== undefined && !matches(field.pattern, textOf))
        return problem(`must match ${field.pattern}`);
      return textOf;
    }
    case 'number': {
      if (textOf.trim() === '') return field.required ? problem('is required') : undefined;
      const value = Number(textOf);
      if (!Number.isFinite(value)) return problem('must be a number');
      if (field.integer && !Number.isInteger(value)) return problem('must be a whole number');
      if (field.minimum !== undefined && value < field.minimum)
        return problem(`must be at least ${field.minimum}`);
      if (field.maximum !== undefined && value > field.maximum)
        return problem(`must be at most ${field.maximum}`);
      return value;
    }
    case 'boolean':
      return draft === true;
    case 'enum': {
      if (textOf === '') return field.required ? problem('pick one') : undefined;
      const option = field.options.find((candidate) => String(candidate) === textOf);
      return option === undefined ? problem('pick one of the options') : option;
    }
    case 'string-list': {
      const items = (Array.isArray(draft) ? (draft as readonly string[]) : []).filter(
        (item) => item.trim() !== '',
      );
      if (field.minItems !== undefined && items.length < field.minItems)
        return problem(`needs at least ${field.minItems} ${field.minItems === 1 ? 'entry' : 'entries'}`);
      return items.length === 0 && !field.required ? undefined : items;
    }
    case 'object': {
      const drafts: Readonly<Record<string, FormDraft>> = isRecord(draft) ? draft : {};
      const entries: [string, unknown][] = [];
      for (const child of field.fields) {
        const childPath = path === '' ? child.key : `${path}.${child.key}`;
        const value = read(child, drafts[child.key] ?? draftOf(child, undefined), childPath, problems);
        if (value !== undefined) entries.push([child.key, value]);
      }
      return Object.fromEntries(entries);
    }
    case 'json': {
      if (textOf.trim() === '') return field.required ? problem('is required (JSON)') : undefined;
      try {
        return JSON.parse(textOf) as unknown;
      } catch (error) {
        return problem(`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    // A pattern the browser cannot read is left to the server to check.
    return true;
  }
}
