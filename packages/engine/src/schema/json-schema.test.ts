import { describe, expect, it } from 'vitest';
import { compileSchema, validateJson, validateRunInputs } from './json-schema.js';

describe('compileSchema', () => {
  it('compiles a valid draft-07 schema', () => {
    const result = compileSchema({ type: 'object', properties: { title: { type: 'string' } } });
    expect(result.ok).toBe(true);
    expect(result.ok && result.validate({ title: 'x' })).toBe(true);
  });

  it('compiles boolean schemas', () => {
    expect(compileSchema(true).ok).toBe(true);
    expect(compileSchema(false).ok).toBe(true);
  });

  it("fails with ajv's message for a schema that breaks the meta-schema", () => {
    const result = compileSchema({ type: 'strin' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^schema is invalid: data\/type must be equal to one of the allowed values/,
    );
  });

  it('fails for a reference that cannot be resolved', () => {
    expect(compileSchema({ $ref: '#/definitions/missing' })).toEqual({
      ok: false,
      message: "can't resolve reference #/definitions/missing from id #",
    });
  });

  it('fails for something that is not a schema', () => {
    expect(compileSchema([] as never)).toEqual({
      ok: false,
      message: 'a schema must be an object or a boolean',
    });
  });

  it('fails for a dialect it does not support', () => {
    const result = compileSchema({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'string' });
    expect(result.ok).toBe(false);
  });

  it('refuses asynchronous schemas, whose result would always look like a pass', () => {
    expect(compileSchema({ $async: true, type: 'string' })).toEqual({
      ok: false,
      message: 'asynchronous schemas ($async) are not supported',
    });
  });

  it('ignores unknown keywords and formats instead of failing', () => {
    expect(compileSchema({ type: 'string', format: 'email', 'x-ui': { widget: 'textarea' } }).ok).toBe(true);
  });

  it('compiles the same schema only once', () => {
    const schema = { type: 'number' };
    const first = compileSchema(schema);
    expect(compileSchema(schema)).toBe(first);
    expect(compileSchema({ type: 'number' })).toBe(first);
  });

  it('compiles two different schemas that share an $id', () => {
    const a = compileSchema({ $id: 'https://example.com/s', type: 'string' });
    const b = compileSchema({ $id: 'https://example.com/s', type: 'number' });
    if (!a.ok || !b.ok) throw new Error('expected both schemas to compile');
    expect(a.validate('x')).toBe(true);
    expect(a.validate(1)).toBe(false);
    expect(b.validate(1)).toBe(true);
    expect(b.validate('x')).toBe(false);
  });
});

describe('validateJson', () => {
  const schema = {
    type: 'object',
    required: ['title', 'items'],
    additionalProperties: false,
    properties: {
      title: { type: 'string' },
      items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      level: { enum: ['low', 'high'] },
    },
  };

  it('returns no problems for a matching value', () => {
    expect(validateJson(schema, { title: 'x', items: [] })).toEqual([]);
  });

  it('reports every mismatch with a readable path', () => {
    const problems = validateJson(
      schema,
      { title: 3, items: [{ name: 1 }], level: 'mid', extra: true },
      { root: 'output' },
    );
    expect(problems).toEqual([
      { path: 'output.extra', message: 'is not allowed (the schema does not define this property)' },
      { path: 'output.title', message: 'must be string' },
      { path: 'output.items[0].name', message: 'must be string' },
      { path: 'output.level', message: 'must be one of "low", "high"' },
    ]);
  });

  it('reports a missing required property at its own path', () => {
    expect(validateJson(schema, { items: [] }, { root: 'output' })).toEqual([
      { path: 'output.title', message: 'is required' },
    ]);
  });

  it('uses an empty path for the root when no root is given', () => {
    expect(validateJson({ type: 'string' }, 3)).toEqual([{ path: '', message: 'must be string' }]);
    expect(validateJson({ type: 'object', required: ['a'] }, {})).toEqual([
      { path: 'a', message: 'is required' },
    ]);
  });

  it('quotes property names that are not plain names', () => {
    const problems = validateJson(
      { properties: { 'a/b c': { type: 'string' } } },
      { 'a/b c': 1 },
      { root: 'output' },
    );
    expect(problems).toEqual([{ path: 'output["a/b c"]', message: 'must be string' }]);
  });

  it('validates 2020-12 schemas when $schema says so', () => {
    const tuple = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
    };
    expect(validateJson(tuple, ['a', 1])).toEqual([]);
    expect(validateJson(tuple, [1, 'a', true], { root: 'output' })).toEqual([
      { path: 'output[0]', message: 'must be string' },
      { path: 'output[1]', message: 'must be number' },
      { path: 'output', message: 'must NOT have more than 2 items' },
    ]);
  });

  it('reports an invalid schema as one problem', () => {
    const problems = validateJson({ type: 'strin' }, 'x', { root: 'output' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('output');
    expect(problems[0]?.message).toMatch(/^invalid JSON Schema: schema is invalid:/);
  });

  it('never changes the value, even when the schema has defaults', () => {
    const value: Record<string, unknown> = { n: '3' };
    expect(validateJson({ properties: { n: { type: 'integer' }, d: { default: 1 } } }, value)).toEqual([
      { path: 'n', message: 'must be integer' },
    ]);
    expect(value).toEqual({ n: '3' });
  });
});

describe('validateRunInputs', () => {
  const schema = {
    type: 'object',
    required: ['repo', 'count'],
    properties: {
      repo: { type: 'string' },
      count: { type: 'integer', minimum: 1 },
      dryRun: { type: 'boolean', default: false },
      ratio: { type: 'number' },
    },
  };

  it("coerces strings from the command line to the schema's types and fills in defaults", () => {
    const inputs = { repo: 'baton', count: '3', ratio: '0.5' };
    expect(validateRunInputs(schema, inputs)).toEqual({
      ok: true,
      value: { repo: 'baton', count: 3, ratio: 0.5, dryRun: false },
    });
    expect(inputs).toEqual({ repo: 'baton', count: '3', ratio: '0.5' });
  });

  it('coerces "true" and "false" to booleans', () => {
    const result = validateRunInputs(schema, { repo: 'x', count: '1', dryRun: 'true' });
    expect(result.ok && result.value.dryRun).toBe(true);
  });

  it('reports every problem with an inputs path', () => {
    expect(validateRunInputs(schema, { count: 'three', dryRun: 'maybe' })).toEqual({
      ok: false,
      problems: [
        { path: 'inputs.repo', message: 'is required' },
        { path: 'inputs.count', message: 'must be integer' },
        { path: 'inputs.dryRun', message: 'must be boolean' },
      ],
    });
  });

  it('checks constraints after coercion', () => {
    expect(validateRunInputs(schema, { repo: 'x', count: '0' })).toEqual({
      ok: false,
      problems: [{ path: 'inputs.count', message: 'must be >= 1' }],
    });
  });

  it('accepts any inputs when the workflow has no inputs schema', () => {
    expect(validateRunInputs(undefined, { anything: 'goes' })).toEqual({
      ok: true,
      value: { anything: 'goes' },
    });
  });

  it('reports inputs that are not plain data', () => {
    expect(validateRunInputs({ type: 'object' }, { callback: () => 1 })).toEqual({
      ok: false,
      problems: [{ path: 'inputs', message: 'must be plain data (strings, numbers, lists, mappings)' }],
    });
  });

  it('reports an invalid inputs schema', () => {
    const result = validateRunInputs({ type: 'objekt' }, {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.path).toBe('inputs');
  });
});
