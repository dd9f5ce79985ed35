import { describe, expect, it } from 'vitest';
import {
  PRICING_CARD_EXAMPLE,
  UI_LIMITS,
  applyPatch,
  validateDocument,
  validatePatch,
  type UiNode,
} from './index.js';

const stack = (children: unknown[]): Record<string, unknown> => ({
  type: 'stack',
  direction: 'column',
  gap: 'sm',
  align: 'start',
  children,
});
const text = (value: string): UiNode => ({ type: 'text', text: value });
const document = (root: unknown): unknown => ({ ...PRICING_CARD_EXAMPLE, root });

/** Stacks nested `depth` deep around a text, built without recursion. */
function nested(depth: number): unknown {
  let node: unknown = text('deepest');
  for (let level = 1; level < depth; level += 1) node = stack([node]);
  return node;
}

describe('the limits', () => {
  it('are 32 deep, 2,000 nodes, 256 KB of text, 4,096 characters a string, 64 KB a URL, 200 ops', () => {
    expect(UI_LIMITS).toEqual({
      maxDepth: 32,
      maxNodes: 2000,
      maxTextBytes: 262_144,
      maxStringLength: 4096,
      maxUrlLength: 65_536,
      maxPatchOps: 200,
    });
  });

  it('accept a document exactly 32 nodes deep and refuse one 33 deep', () => {
    expect(validateDocument(document(nested(32))).ok).toBe(true);
    const result = validateDocument(document(nested(33)));
    expect(result).toMatchObject({ ok: false, code: 'UI_SCHEMA_TOO_DEEP' });
    expect(result.ok === false && result.problems).toEqual([
      {
        path: `root${'.children[0]'.repeat(32)}`,
        message: 'nodes nest more than 32 deep here; flatten the layout',
      },
    ]);
  });

  it('refuse a document nested 10,000 deep with TOO_DEEP, without overflowing the stack', () => {
    expect(validateDocument(document(nested(10_000)))).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_DEEP',
      problems: [{ message: /32 deep/ }],
    });
  });

  it('refuse junk nested 10,000 deep inside a prop, and a document that contains itself', () => {
    let junk: unknown = 'x';
    for (let level = 0; level < 10_000; level += 1) junk = { a: junk };
    expect(validateDocument(document({ type: 'text', text: junk }))).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_DEEP',
    });
    const looped: Record<string, unknown> = stack([]);
    (looped['children'] as unknown[]).push(looped);
    expect(validateDocument(document(looped))).toMatchObject({ ok: false, code: 'UI_SCHEMA_TOO_DEEP' });
  });

  it('accept 2,000 nodes and refuse 2,001 with TOO_LARGE', () => {
    const nodes = (count: number) => stack(Array.from({ length: count - 1 }, () => text('')));
    expect(validateDocument(document(nodes(2000))).ok).toBe(true);
    expect(validateDocument(document(nodes(2001)))).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_LARGE',
      problems: [{ path: 'root.children[1999]', message: 'more than 2000 nodes; remove some' }],
    });
  });

  it('refuse 5 MB of text in one string, naming the string', () => {
    const result = validateDocument(document(text('x'.repeat(5 * 1024 * 1024))));
    expect(result).toEqual({
      ok: false,
      code: 'UI_SCHEMA_TOO_LARGE',
      problems: [
        { path: 'root.text', message: '5242880 characters, more than the 4096 allowed; shorten it' },
      ],
    });
  });

  it('refuse 5 MB of text spread over strings each short enough, counting UTF-8 bytes', () => {
    const spread = stack(Array.from({ length: 1280 }, () => text('é'.repeat(2048))));
    expect(validateDocument(document(spread))).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_LARGE',
      problems: [{ message: /the text of the whole input passes 262144 bytes/ }],
    });
    // 2,048 two-byte characters are 4 KB: 63 of them and the example's tokens stay under 256 KB.
    expect(
      validateDocument(document(stack(Array.from({ length: 63 }, () => text('é'.repeat(2048)))))),
    ).toMatchObject({ ok: true });
  });

  it('refuse a list of ten million values before looking at its elements', () => {
    const huge = new Array<number>(10_000_000).fill(0);
    expect(validateDocument(document(stack(huge)))).toEqual({
      ok: false,
      code: 'UI_SCHEMA_TOO_LARGE',
      problems: [{ path: 'root.children', message: 'a list of 10000000 values, more than the 2000 allowed' }],
    });
  });

  it('let a data: image be longer than a text, up to 64 KB', () => {
    const image = (length: number) => ({
      type: 'image',
      alt: 'x',
      src: `data:image/png;base64,${'A'.repeat(length)}`,
    });
    expect(validateDocument(document(image(60_000))).ok).toBe(true);
    expect(validateDocument(document(image(70_000)))).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_LARGE',
      problems: [{ path: 'root.src' }],
    });
  });

  it('apply to patches: a node nested 10,000 deep and more than 200 ops are refused', () => {
    expect(validatePatch({ ops: [{ op: 'add', parent: 'features', node: nested(10_000) }] })).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_DEEP',
      problems: [{ path: expect.stringMatching(/^ops\[0\]\.node\.children\[0\]/) }],
    });
    const ops = Array.from({ length: 201 }, () => ({ op: 'remove', target: 'cta' }));
    expect(validatePatch({ ops })).toMatchObject({
      ok: false,
      code: 'UI_PATCH_INVALID',
      problems: [{ path: 'ops', message: 'at most 200 ops in one patch' }],
    });
  });

  it('apply to the result of a patch: an add that makes the tree 33 deep is refused at that op', () => {
    let root: Record<string, unknown> = { ...stack([]), id: 'bottom' };
    for (let level = 1; level < 31; level += 1) root = stack([root]);
    const deep = { version: 1, root, tokens: PRICING_CARD_EXAMPLE.tokens } as never;
    const ok = applyPatch(deep, { ops: [{ op: 'add', parent: 'bottom', node: stack([]) }] });
    expect(ok.ok).toBe(true); // 32 deep
    const result = applyPatch(deep, {
      ops: [
        { op: 'set', target: 'bottom', prop: 'gap', value: 'lg' },
        { op: 'add', parent: 'bottom', node: stack([text('too deep')]) },
      ],
    });
    expect(result).toEqual({
      ok: false,
      code: 'UI_SCHEMA_TOO_DEEP',
      problems: [
        {
          path: 'ops[1]',
          message: `after this op, document.root${'.children[0]'.repeat(32)}: nodes nest more than 32 deep here; flatten the layout`,
        },
      ],
    });
  });
  it('judge the result of a patch, not the states between its ops, and blame the op from which it stayed over', () => {
    let root: Record<string, unknown> = { ...stack([]), id: 'bottom' };
    for (let level = 1; level < 31; level += 1) root = stack([root]);
    const deep = { version: 1, root, tokens: PRICING_CARD_EXAMPLE.tokens } as never;
    const tooDeep = { ...stack([text('too deep')]), id: 'extra' };
    expect(
      applyPatch(deep, {
        ops: [
          { op: 'add', parent: 'bottom', node: tooDeep },
          { op: 'remove', target: 'extra' },
        ],
      }).ok,
    ).toBe(true);
    const result = applyPatch(deep, {
      ops: [
        { op: 'add', parent: 'bottom', node: tooDeep },
        { op: 'remove', target: 'extra' },
        { op: 'set', target: 'bottom', prop: 'gap', value: 'xl' },
        { op: 'add', parent: 'bottom', node: tooDeep },
        { op: 'set', target: 'bottom', prop: 'gap', value: 'lg' },
      ],
    });
    expect(result).toMatchObject({ ok: false, code: 'UI_SCHEMA_TOO_DEEP', problems: [{ path: 'ops[3]' }] });
  });

  it('refuse a patch whose sets push the text of the document past 256 KB, naming the op', () => {
    // 30 texts of 4,000 characters in the document, then 40 more set by the patch (160 KB, within
    // the limits on its own): the document passes 256 KB at the 36th set.
    const items = Array.from({ length: 70 }, (_, index) => ({
      type: 'text',
      id: `t${index}`,
      text: index < 30 ? 'x'.repeat(4000) : '',
    }));
    const document = {
      version: 1,
      root: { type: 'list', items },
      tokens: PRICING_CARD_EXAMPLE.tokens,
    } as never;
    const ops = items
      .slice(30)
      .map((item) => ({ op: 'set', target: item.id, prop: 'text', value: 'y'.repeat(4000) }));
    expect(applyPatch(document, { ops })).toMatchObject({
      ok: false,
      code: 'UI_SCHEMA_TOO_LARGE',
      problems: [
        {
          path: 'ops[35]',
          message:
            /^after this op, document\.root\.items\[65\]\.text: the text of the whole input passes 262144 bytes/,
        },
      ],
    });
  });
});
