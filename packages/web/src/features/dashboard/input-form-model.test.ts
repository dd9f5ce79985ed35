import { describe, expect, it } from 'vitest';
import { inputFields, inputsOf, type InputField } from './input-form-model.js';
import { filterMatches, filterStatus } from './run-filter.js';

const SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', description: 'Who it is for' },
    count: { type: 'integer', default: 3 },
    ratio: { type: 'number' },
    strict: { type: 'boolean', default: true },
    tone: { enum: ['plain', 'formal'], default: 'plain' },
    tags: { type: 'array', items: { type: 'string' } },
    limits: { type: 'object', properties: { pages: { type: 'integer' } } },
    brief: { oneOf: [{ type: 'string' }, { type: 'object' }] },
    matrix: { type: 'array', items: { type: 'array' } },
  },
};

const kinds = (fields: readonly InputField[]): unknown =>
  fields.map((field) =>
    field.kind === 'object' ? [field.path, kinds(field.fields)] : [field.path, field.kind],
  );

describe('the input form model', () => {
  it('makes a field of each property, by kind, nested objects nested, the rest JSON', () => {
    expect(kinds(inputFields(SCHEMA)!)).toEqual([
      ['name', 'string'],
      ['count', 'number'],
      ['ratio', 'number'],
      ['strict', 'boolean'],
      ['tone', 'enum'],
      ['tags', 'string-list'],
      ['limits', [['limits.pages', 'number']]],
      ['brief', 'text-or-json'],
      ['matrix', 'json'],
    ]);
    expect(inputFields(SCHEMA)![0]).toMatchObject({ required: true, description: 'Who it is for' });
  });

  it('has no fields for a workflow without an object schema (a JSON textarea then)', () => {
    expect(inputFields(undefined)).toBeNull();
    expect(inputFields({ type: 'string' })).toBeNull();
  });

  it('turns what was typed into inputs, leaving empty fields to the workflow’s defaults', () => {
    const typed: Record<string, string | boolean> = {
      name: ' Ana ',
      count: '',
      ratio: '0.5',
      strict: false,
      tone: 'formal',
      tags: 'a\n\n b \n',
      'limits.pages': '',
      brief: 'Build a to-do list',
      matrix: '[[1]]',
    };
    expect(inputsOf(inputFields(SCHEMA)!, (path) => typed[path])).toEqual({
      inputs: {
        name: 'Ana',
        ratio: 0.5,
        strict: false,
        tone: 'formal',
        tags: ['a', 'b'],
        brief: 'Build a to-do list',
        matrix: [[1]],
      },
    });
  });

  it('reads JSON where the text-or-JSON field holds an object, and nested values nested', () => {
    const typed: Record<string, string> = { name: 'x', brief: '{"problem": "p"}', 'limits.pages': '4' };
    expect(inputsOf(inputFields(SCHEMA)!, (path) => typed[path])).toMatchObject({
      inputs: { brief: { problem: 'p' }, limits: { pages: 4 } },
    });
  });

  it('names every problem at its field: a required one missing, a bad number, bad JSON', () => {
    const typed: Record<string, string> = { count: '2.5', matrix: '[oops', name: '' };
    expect(inputsOf(inputFields(SCHEMA)!, (path) => typed[path])).toEqual({
      problems: [
        { path: 'name', message: 'name is required.' },
        { path: 'count', message: 'count must be a whole number.' },
        { path: 'matrix', message: 'matrix is not valid JSON.' },
      ],
    });
  });
});

describe('the dashboard filters', () => {
  it('ask the server for one status each, every run for "All"', () => {
    expect(['all', 'failed', 'running', 'waiting', 'done'].map((id) => filterStatus(id as never))).toEqual([
      undefined,
      'failed',
      'running',
      'waiting',
      'completed',
    ]);
  });

  it('keep out a run the stream brings that does not match', () => {
    expect(filterMatches('waiting', 'waiting')).toBe(true);
    expect(filterMatches('waiting', 'running')).toBe(false);
    expect(filterMatches('all', 'cancelled')).toBe(true);
  });
});
