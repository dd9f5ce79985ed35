import { describe, expect, it } from 'vitest';
import { applyPatch, diffUi, PRICING_CARD_EXAMPLE, type UiDocument, type UiNode } from './index.js';

const base = PRICING_CARD_EXAMPLE;
const patched = (...ops: unknown[]): UiDocument => {
  const result = applyPatch(base, { ops });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
};
const withRoot = (root: UiNode): UiDocument => ({ ...base, root });
const text = (value: string, id?: string): UiNode => ({
  type: 'text',
  text: value,
  ...(id === undefined ? {} : { id }),
});
const stack = (children: UiNode[], id?: string): UiNode => ({
  type: 'stack',
  direction: 'column',
  gap: 'sm',
  align: 'start',
  children,
  ...(id === undefined ? {} : { id }),
});

describe('diffUi', () => {
  it('finds no change between a document and itself, or a copy of it', () => {
    expect(diffUi(base, base)).toEqual({ changes: [], summary: 'no changes' });
    expect(diffUi(base, structuredClone(base))).toEqual({ changes: [], summary: 'no changes' });
  });

  it('names a set prop with its value before and after, keyed by the node id', () => {
    expect(diffUi(base, patched({ op: 'set', target: 'price', prop: 'text', value: '$19' }))).toEqual({
      changes: [
        {
          kind: 'changed',
          key: 'price',
          id: 'price',
          type: 'text',
          path: 'root.children[1].children[0]',
          prop: 'text',
          before: '$24',
          after: '$19',
        },
      ],
      summary: '1 changed',
    });
  });

  it('reports a prop given or removed with null on the side where it is absent', () => {
    const { changes } = diffUi(
      base,
      patched(
        { op: 'set', target: 'cta', prop: 'href', value: null },
        { op: 'set', target: 'price', prop: 'tone', value: 'primary' },
      ),
    );
    expect(changes).toEqual([
      {
        kind: 'changed',
        key: 'price',
        id: 'price',
        type: 'text',
        path: 'root.children[1].children[0]',
        prop: 'tone',
        before: null,
        after: 'primary',
      },
      {
        kind: 'changed',
        key: 'cta',
        id: 'cta',
        type: 'button',
        path: 'root.children[4]',
        prop: 'href',
        before: 'https://example.com/signup?plan=team',
        after: null,
      },
    ]);
  });

  it('lists an added or removed subtree once, at its top, and summarises the counts', () => {
    const after = patched(
      { op: 'remove', target: 'features' },
      {
        op: 'add',
        parent: 'pricing-card',
        index: 3,
        node: { type: 'card', id: 'faq', title: 'FAQ', children: [text('Can I cancel?', 'faq-cancel')] },
      },
      { op: 'add', parent: 'price-row', node: text('billed yearly') },
      { op: 'set', target: 'plan-name', prop: 'text', value: 'Team plan' },
    );
    const diff = diffUi(base, after);
    expect(diff.changes).toEqual([
      { kind: 'removed', key: 'features', id: 'features', type: 'list', path: 'root.children[3]' },
      {
        kind: 'changed',
        key: 'plan-name',
        id: 'plan-name',
        type: 'heading',
        path: 'root.children[0]',
        prop: 'text',
        before: 'Team',
        after: 'Team plan',
      },
      { kind: 'added', key: 'price-row/text[0]', type: 'text', path: 'root.children[1].children[2]' },
      { kind: 'added', key: 'faq', id: 'faq', type: 'card', path: 'root.children[3]' },
    ]);
    expect(diff.summary).toBe('2 added, 1 removed, 1 changed');
  });

  it('reports a node moved to another parent, with both paths', () => {
    const after = patched(
      { op: 'remove', target: 'cta' },
      {
        op: 'add',
        parent: 'price-row',
        node: {
          type: 'button',
          id: 'cta',
          label: 'Start a free trial',
          variant: 'primary',
          href: 'https://example.com/signup?plan=team',
        },
      },
    );
    expect(diffUi(base, after)).toEqual({
      changes: [
        {
          kind: 'moved',
          key: 'cta',
          id: 'cta',
          type: 'button',
          from: 'root.children[4]',
          to: 'root.children[1].children[2]',
        },
      ],
      summary: '1 moved',
    });
  });

  it('reports the fewest moves for a reorder: one item moved to the front is one move, not four', () => {
    const after = patched(
      { op: 'remove', target: 'feature-support' },
      { op: 'add', parent: 'features', index: 0, node: text('Priority support', 'feature-support') },
    );
    expect(diffUi(base, after).changes).toEqual([
      {
        kind: 'moved',
        key: 'feature-support',
        id: 'feature-support',
        type: 'text',
        from: 'root.children[3].items[3]',
        to: 'root.children[3].items[0]',
      },
    ]);
  });

  it('does not call siblings moved when a node is only inserted before them', () => {
    const after = patched({
      op: 'add',
      parent: 'features',
      index: 0,
      node: text('Audit log', 'feature-audit'),
    });
    expect(diffUi(base, after).changes).toEqual([
      {
        kind: 'added',
        key: 'feature-audit',
        id: 'feature-audit',
        type: 'text',
        path: 'root.children[3].items[0]',
      },
    ]);
  });

  it('matches nodes without ids by their place: parent, type and order among their unnamed siblings', () => {
    const before = withRoot(stack([text('a'), { type: 'heading', level: 2, text: 'h' }, text('b')]));
    const after = withRoot(stack([text('a'), { type: 'heading', level: 3, text: 'h' }, text('B')]));
    expect(diffUi(before, after).changes).toEqual([
      {
        kind: 'changed',
        key: '/heading[0]',
        type: 'heading',
        path: 'root.children[1]',
        prop: 'level',
        before: 2,
        after: 3,
      },
      {
        kind: 'changed',
        key: '/text[1]',
        type: 'text',
        path: 'root.children[2]',
        prop: 'text',
        before: 'b',
        after: 'B',
      },
    ]);
  });

  it('reports a node whose id stayed but whose component changed as a changed type first', () => {
    const before = withRoot(stack([text('Hello', 'greeting')], 'main'));
    const after = withRoot(stack([{ type: 'heading', id: 'greeting', level: 1, text: 'Hello' }], 'main'));
    expect(diffUi(before, after).changes).toEqual([
      {
        kind: 'changed',
        key: 'greeting',
        id: 'greeting',
        type: 'heading',
        path: 'root.children[0]',
        prop: 'type',
        before: 'text',
        after: 'heading',
      },
      {
        kind: 'changed',
        key: 'greeting',
        id: 'greeting',
        type: 'heading',
        path: 'root.children[0]',
        prop: 'level',
        before: null,
        after: 1,
      },
    ]);
  });

  it('reports changed design tokens by name, and counts them apart', () => {
    const after: UiDocument = {
      ...base,
      tokens: {
        ...base.tokens,
        colors: { ...base.tokens.colors, primary: '#000000' },
        font: { family: '"Inter"', size: 16 },
      },
    };
    expect(diffUi(base, after)).toEqual({
      changes: [
        { kind: 'token', token: 'colors.primary', before: '#3451b2', after: '#000000' },
        { kind: 'token', token: 'font.family', before: 'system-ui', after: '"Inter"' },
      ],
      summary: '2 tokens changed',
    });
  });

  it('counts changed nodes, not changed props, in the summary', () => {
    const after = patched(
      { op: 'set', target: 'cta', prop: 'label', value: 'Buy' },
      { op: 'set', target: 'cta', prop: 'variant', value: 'secondary' },
    );
    expect(diffUi(base, after)).toMatchObject({ summary: '1 changed' });
    expect(diffUi(base, after).changes).toHaveLength(2);
  });
});
