import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  PRICING_CARD_EXAMPLE,
  validateDocument,
  type ApplyPatchResult,
  type UiDocument,
} from './index.js';

const base = PRICING_CARD_EXAMPLE;
const apply = (...ops: unknown[]): ApplyPatchResult => applyPatch(base, { ops });
const documentOf = (result: ApplyPatchResult): UiDocument => {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
};
const rootChildren = (document: UiDocument) => (document.root.type === 'card' ? document.root.children : []);
const ids = (document: UiDocument) => JSON.stringify(document).match(/"id":"([a-z-]+)"/g);

describe('applyPatch', () => {
  it('adds a node into a container at an index, or last when the index is left out', () => {
    const document = documentOf(
      apply(
        {
          op: 'add',
          parent: 'features',
          index: 0,
          node: { type: 'text', id: 'feature-audit', text: 'Audit log' },
        },
        {
          op: 'add',
          parent: 'pricing-card',
          node: { type: 'text', id: 'fine-print', text: 'Taxes extra', tone: 'muted' },
        },
      ),
    );
    const features = rootChildren(document)[3];
    expect(features?.type === 'list' && features.items.map((item) => item.id)).toEqual([
      'feature-audit',
      'feature-projects',
      'feature-history',
      'feature-sso',
      'feature-support',
    ]);
    expect(rootChildren(document).at(-1)).toEqual({
      type: 'text',
      id: 'fine-print',
      text: 'Taxes extra',
      tone: 'muted',
    });
  });

  it('removes a node with its subtree', () => {
    const document = documentOf(apply({ op: 'remove', target: 'features' }));
    expect(ids(document)).not.toContain('"id":"features"');
    expect(ids(document)).not.toContain('"id":"feature-sso"');
    expect(rootChildren(document)).toHaveLength(5);
  });

  it('replaces a node, which may reuse the ids of the subtree it replaces, and may replace the root', () => {
    const replaced = documentOf(
      apply({
        op: 'replace',
        target: 'price-row',
        node: { type: 'text', id: 'price', text: '$19 per seat' },
      }),
    );
    expect(rootChildren(replaced)[1]).toEqual({ type: 'text', id: 'price', text: '$19 per seat' });
    const newRoot = documentOf(
      apply({ op: 'replace', target: 'pricing-card', node: { type: 'heading', level: 1, text: 'Soon' } }),
    );
    expect(newRoot.root).toEqual({ type: 'heading', level: 1, text: 'Soon' });
  });

  it('sets a prop, and removes an optional prop when the value is null', () => {
    const document = documentOf(
      apply(
        { op: 'set', target: 'plan-name', prop: 'level', value: 1 },
        { op: 'set', target: 'cta', prop: 'href', value: null },
        { op: 'set', target: 'features', prop: 'ordered', value: true },
      ),
    );
    expect(rootChildren(document)[0]).toEqual({ type: 'heading', id: 'plan-name', level: 1, text: 'Team' });
    expect(rootChildren(document)[4]).toEqual({
      type: 'button',
      id: 'cta',
      label: 'Start a free trial',
      variant: 'primary',
    });
    expect(rootChildren(document)[3]).toMatchObject({ ordered: true });
  });

  it('applies ops in order, each seeing what the ones before it did', () => {
    const document = documentOf(
      apply(
        {
          op: 'add',
          parent: 'pricing-card',
          index: 0,
          node: {
            type: 'stack',
            id: 'badge-row',
            direction: 'row',
            gap: 'sm',
            align: 'center',
            children: [],
          },
        },
        {
          op: 'add',
          parent: 'badge-row',
          node: { type: 'text', id: 'badge', text: 'Most popular', tone: 'primary' },
        },
        { op: 'set', target: 'badge', prop: 'tone', value: 'success' },
      ),
    );
    expect(rootChildren(document)[0]).toMatchObject({
      id: 'badge-row',
      children: [{ id: 'badge', tone: 'success' }],
    });
  });

  it('refuses an unknown id, listing the ids there are, and stops at that op', () => {
    const result = apply(
      { op: 'set', target: 'price', prop: 'text', value: '$19' },
      { op: 'remove', target: 'pricing-table' },
    );
    expect(result).toEqual({
      ok: false,
      code: 'UI_PATCH_INVALID',
      problems: [
        {
          path: 'ops[1].target',
          message:
            'no node has the id "pricing-table"; the ids are: pricing-card, plan-name, price-row, price, price-period, plan-summary, features, feature-projects, feature-history, feature-sso, feature-support, cta, secondary-cta',
        },
      ],
    });
  });

  it('refuses a node whose id the document already uses, anywhere in its subtree', () => {
    const node = { type: 'card', id: 'extra', children: [{ type: 'text', id: 'price', text: 'again' }] };
    expect(apply({ op: 'add', parent: 'pricing-card', node })).toEqual({
      ok: false,
      code: 'UI_PATCH_INVALID',
      problems: [
        {
          path: 'ops[0].node.children[0].id',
          message:
            'the id "price" is already used at root.children[1].children[0].id; ids are unique in a document',
        },
      ],
    });
  });

  it('refuses a prop the component does not allow, naming the ones it does', () => {
    expect(apply({ op: 'set', target: 'cta', prop: 'text', value: 'Buy' })).toEqual({
      ok: false,
      code: 'UI_PATCH_INVALID',
      problems: [
        {
          path: 'ops[0].prop',
          message: '"text" is not a prop "set" can change on a button; a button\'s are: label, variant, href',
        },
      ],
    });
  });

  it('refuses to set children, items, type, id or an event handler', () => {
    for (const prop of ['children', 'items', 'type', 'id', 'onclick']) {
      expect(apply({ op: 'set', target: 'features', prop, value: 'x' }), prop).toMatchObject({
        ok: false,
        code: 'UI_PATCH_INVALID',
        problems: [
          {
            path: 'ops[0].prop',
            message: expect.stringContaining('children and items change through add, remove and replace'),
          },
        ],
      });
    }
  });

  it('refuses a value the prop does not accept: a javascript: link, a level 7, null for a required prop', () => {
    expect(apply({ op: 'set', target: 'cta', prop: 'href', value: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      problems: [
        { path: 'ops[0].value', message: /^not a valid "href" for a button: must be an https: URL/ },
      ],
    });
    expect(apply({ op: 'set', target: 'plan-name', prop: 'level', value: 7 })).toMatchObject({
      ok: false,
      problems: [{ path: 'ops[0].value' }],
    });
    expect(apply({ op: 'set', target: 'cta', prop: 'label', value: null })).toMatchObject({
      ok: false,
      problems: [
        {
          path: 'ops[0].value',
          message: '"label" is required on a button: it cannot be removed (null); give a value',
        },
      ],
    });
  });

  it('refuses to add into a leaf, past the end of a container, or an unknown component, and to remove the root', () => {
    expect(apply({ op: 'add', parent: 'cta', node: { type: 'text', text: 'x' } })).toMatchObject({
      problems: [
        {
          path: 'ops[0].parent',
          message: '"cta" is a button, which holds no nodes; add to a stack, card or list',
        },
      ],
    });
    expect(
      apply({ op: 'add', parent: 'features', index: 5, node: { type: 'text', text: 'x' } }),
    ).toMatchObject({
      problems: [
        {
          path: 'ops[0].index',
          message: '"features" holds 4 nodes: index must be 0 to 4 (or left out to add last)',
        },
      ],
    });
    expect(
      apply({ op: 'add', parent: 'features', node: { type: 'script', text: 'alert(1)' } }),
    ).toMatchObject({
      code: 'UI_PATCH_INVALID',
      problems: [{ path: 'ops[0].node.type', message: /"script" is not a component/ }],
    });
    expect(apply({ op: 'remove', target: 'pricing-card' })).toMatchObject({
      problems: [
        {
          path: 'ops[0].target',
          message: '"pricing-card" is the root, which cannot be removed; replace it instead',
        },
      ],
    });
  });

  it('refuses what is not a patch, without throwing', () => {
    for (const patch of [
      null,
      'remove cta',
      [],
      { ops: 'x' },
      { ops: [{ op: 'move', target: 'cta' }] },
      { ops: [], extra: 1 },
    ]) {
      expect(applyPatch(base, patch), JSON.stringify(patch)).toMatchObject({
        ok: false,
        code: 'UI_PATCH_INVALID',
      });
    }
  });

  it('refuses an invalid document, with paths under "document"', () => {
    const broken = { ...base, root: { type: 'text', text: 'x', onclick: 'y' } } as unknown as UiDocument;
    expect(applyPatch(broken, { ops: [] })).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_INVALID',
      problems: [{ path: 'document.root.onclick' }],
    });
  });

  it('never changes the document or the patch it is given (both deeply frozen here)', () => {
    const patch = deepFreeze({
      ops: [
        { op: 'add', parent: 'features', index: 1, node: { type: 'text', id: 'feature-new', text: 'New' } },
        { op: 'set', target: 'price', prop: 'text', value: '$19' },
        { op: 'remove', target: 'secondary-cta' },
        {
          op: 'replace',
          target: 'plan-name',
          node: { type: 'heading', id: 'plan-name', level: 1, text: 'Team+' },
        },
      ],
    });
    const before = structuredClone(base);
    const result = applyPatch(base, patch);
    expect(result.ok).toBe(true);
    expect(base).toEqual(before);
    expect(validateDocument(documentOf(result)).ok).toBe(true);
  });

  it('returns a document that is no longer tied to the patch (changing one does not change the other)', () => {
    const node = { type: 'text', id: 'note', text: 'A' };
    const document = documentOf(applyPatch(base, { ops: [{ op: 'add', parent: 'pricing-card', node }] }));
    node.text = 'B';
    expect(rootChildren(document).at(-1)).toMatchObject({ text: 'A' });
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
