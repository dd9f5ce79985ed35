import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PRICING_CARD_EXAMPLE, UI_DOCUMENT_JSON_SCHEMA, UI_PATCH_JSON_SCHEMA } from './index.js';

// The engine checks agents' outputs and workflow inputs with ajv in the schema's own dialect
// (2020-12 here), strict mode off; the same is done here.
const ajv = new Ajv2020({ strict: false, allErrors: true });
const documentValid = ajv.compile(UI_DOCUMENT_JSON_SCHEMA);
const patchValid = ajv.compile(UI_PATCH_JSON_SCHEMA);
const withRoot = (root: unknown) => ({ ...PRICING_CARD_EXAMPLE, root });

describe('the JSON Schemas', () => {
  it('are draft 2020-12 schemas with a title, a description and one shared node definition', () => {
    for (const schema of [UI_DOCUMENT_JSON_SCHEMA, UI_PATCH_JSON_SCHEMA]) {
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
        title: expect.any(String),
        description: expect.any(String),
      });
      expect(Object.keys(schema['$defs'] as object)).toEqual(['UiNode']);
      expect(Object.isFrozen(schema)).toBe(true);
    }
  });

  it('accept the pricing card and a patch over it', () => {
    expect(documentValid(PRICING_CARD_EXAMPLE)).toBe(true);
    const patch = {
      ops: [
        {
          op: 'add',
          parent: 'features',
          index: 0,
          node: { type: 'text', id: 'feature-audit', text: 'Audit log' },
        },
        { op: 'remove', target: 'secondary-cta' },
        {
          op: 'replace',
          target: 'plan-name',
          node: { type: 'heading', id: 'plan-name', level: 1, text: 'Team' },
        },
        { op: 'set', target: 'cta', prop: 'href', value: null },
      ],
    };
    expect(patchValid(patch), JSON.stringify(patchValid.errors)).toBe(true);
  });

  it.each([
    [
      'a javascript: link',
      withRoot({ type: 'button', label: 'x', variant: 'link', href: 'javascript:alert(1)' }),
    ],
    ['a data:text/html image', withRoot({ type: 'image', alt: 'x', src: 'data:text/html,x' })],
    ['an onclick prop', withRoot({ type: 'text', text: 'x', onclick: 'alert(1)' })],
    ['an unknown component', withRoot({ type: 'iframe', src: 'https://example.com' })],
    [
      'a colour that breaks out of CSS',
      {
        ...PRICING_CARD_EXAMPLE,
        tokens: {
          ...PRICING_CARD_EXAMPLE.tokens,
          colors: { ...PRICING_CARD_EXAMPLE.tokens.colors, text: 'red;}body{' },
        },
      },
    ],
  ])('refuse a document with %s, as the Zod schema does', (_name, document) => {
    expect(documentValid(document)).toBe(false);
  });

  it('refuse a patch that sets children, or an unknown op', () => {
    expect(patchValid({ ops: [{ op: 'set', target: 'features', prop: 'items', value: 'x' }] })).toBe(false);
    expect(patchValid({ ops: [{ op: 'move', target: 'cta' }] })).toBe(false);
  });
});
