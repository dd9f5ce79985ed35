import { describe, expect, it } from 'vitest';
import { draftOf, formOf, labelOf, valueOf, type FormField } from './schema-form.js';

const DECISION_SCHEMA = {
  type: 'object',
  required: ['approved', 'summary', 'priority'],
  properties: {
    summary: { type: 'string', minLength: 3, description: 'What you decided.' },
    title: { type: 'string', maxLength: 80 },
    approved: { type: 'boolean' },
    priority: { enum: ['must', 'should', 'could'] },
    estimate: { type: 'integer', minimum: 1 },
    ratio: { type: 'number' },
    tags: { type: 'array', items: { type: 'string' } },
    owner: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, email: { type: 'string' } },
    },
    extra: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    rows: { type: 'array', items: { type: 'object' } },
  },
};

describe('the schema form', () => {
  it('builds one field per property, by type, with labels from the keys and what is required', () => {
    const form = formOf(DECISION_SCHEMA);
    expect(form.kind).toBe('object');
    const fields = form.kind === 'object' ? form.fields : [];
    expect(fields.map((field) => [field.key, field.kind, field.label, field.required])).toEqual([
      ['summary', 'text', 'Summary', true],
      ['title', 'text', 'Title', false],
      ['approved', 'boolean', 'Approved', true],
      ['priority', 'enum', 'Priority', true],
      ['estimate', 'number', 'Estimate', false],
      ['ratio', 'number', 'Ratio', false],
      ['tags', 'string-list', 'Tags', false],
      ['owner', 'object', 'Owner', false],
      ['extra', 'json', 'Extra', false],
      ['rows', 'json', 'Rows', false],
    ]);
    const summary = fields[0] as Extract<FormField, { kind: 'text' }>;
    expect(summary.multiline).toBe(true);
    expect(summary.description).toBe('What you decided.');
    expect((fields[1] as Extract<FormField, { kind: 'text' }>).multiline).toBe(false);
  });

  it('submits the typed values, leaving empty optional fields out', () => {
    const form = formOf(DECISION_SCHEMA);
    const draft = {
      ...(draftOf(form, undefined) as Record<string, never>),
      summary: 'Ship it',
      approved: true,
      priority: 'should',
      estimate: '3',
      tags: ['ui', ' ', 'web'],
      owner: { name: 'Ada', email: '' },
      extra: '42',
    };
    expect(valueOf(form, draft)).toEqual({
      ok: true,
      value: {
        summary: 'Ship it',
        approved: true,
        priority: 'should',
        estimate: 3,
        tags: ['ui', 'web'],
        owner: { name: 'Ada' },
        extra: 42,
      },
    });
  });

  it('names every field that is wrong by its path', () => {
    const form = formOf(DECISION_SCHEMA);
    const draft = {
      ...(draftOf(form, undefined) as Record<string, never>),
      summary: 'no',
      estimate: '2.5',
      ratio: 'abc',
      owner: { name: '', email: '' },
      extra: '{oops',
    };
    const result = valueOf(form, draft);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => `${problem.path} ${problem.message}`)).toEqual([
      'summary needs at least 3 characters',
      'priority pick one',
      'estimate must be a whole number',
      'ratio must be a number',
      'owner.name is required',
      expect.stringMatching(/^extra is not valid JSON/),
    ]);
  });

  it('starts from the current value where it fits and shows anything else as JSON', () => {
    const form = formOf(DECISION_SCHEMA);
    const draft = draftOf(form, {
      summary: 'Before',
      approved: true,
      priority: 'never',
      estimate: 5,
      tags: ['a', 7],
      owner: { name: 'Ada' },
      rows: [{ id: 1 }],
    }) as Record<string, unknown>;
    expect(draft).toMatchObject({
      summary: 'Before',
      approved: true,
      priority: '',
      estimate: '5',
      tags: ['a'],
      owner: { name: 'Ada', email: '' },
      rows: '[\n  {\n    "id": 1\n  }\n]',
      extra: '',
    });
  });

  it('falls back to one JSON field for a schema it cannot draw, and labels camel case as words', () => {
    const form = formOf({ anyOf: [{ type: 'string' }, { type: 'object' }] });
    expect(form.kind).toBe('json');
    expect(valueOf(form, '{"a": [1]}')).toEqual({ ok: true, value: { a: [1] } });
    expect(formOf({ type: 'object' }).kind).toBe('json');
    expect(formOf(true).kind).toBe('json');
    expect(labelOf('acceptanceCriteria')).toBe('Acceptance criteria');
    expect(labelOf('out_of_scope')).toBe('Out of scope');
  });
});
