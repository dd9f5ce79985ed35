import { describe, expect, it } from 'vitest';
import {
  isUiSchemaError,
  parseDocument,
  PRICING_CARD_EXAMPLE,
  UiSchemaError,
  validateDocument,
  type UiDocument,
  type UiNode,
} from './index.js';

const withRoot = (root: unknown): unknown => ({ ...PRICING_CARD_EXAMPLE, root });
const withTokens = (edit: (tokens: Record<string, Record<string, unknown>>) => void): unknown => {
  const tokens = structuredClone(PRICING_CARD_EXAMPLE.tokens) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  edit(tokens);
  return { ...PRICING_CARD_EXAMPLE, tokens };
};
const button = (extra: Record<string, unknown>): unknown => ({
  type: 'button',
  label: 'Go',
  variant: 'primary',
  ...extra,
});
const image = (src: string): unknown => ({ type: 'image', src, alt: 'A picture' });

describe('validateDocument', () => {
  it('accepts the bundled pricing card, which has an id on every slot', () => {
    const result = validateDocument(PRICING_CARD_EXAMPLE);
    expect(result).toEqual({ ok: true, value: PRICING_CARD_EXAMPLE });
    expect(Object.isFrozen(PRICING_CARD_EXAMPLE.root)).toBe(true);
    const ids = JSON.stringify(PRICING_CARD_EXAMPLE).match(/"id":"[a-z-]+"/g);
    expect(ids).toContain('"id":"cta"');
    expect(ids).toContain('"id":"features"');
    expect(ids).toContain('"id":"price"');
  });

  it('returns a fresh copy and never changes its input', () => {
    const input = structuredClone(PRICING_CARD_EXAMPLE);
    const result = validateDocument(input);
    expect(result.ok && result.value).not.toBe(input);
    expect(result.ok && result.value.root).not.toBe(input.root);
    expect(input).toEqual(PRICING_CARD_EXAMPLE);
  });

  it('refuses an unknown component, naming the ones there are', () => {
    expect(validateDocument(withRoot({ type: 'iframe', src: 'https://evil.example' }))).toEqual({
      ok: false,
      code: 'UI_SCHEMA_INVALID',
      problems: [
        {
          path: 'root.type',
          message:
            '"iframe" is not a component; use one of: stack, text, heading, button, input, image, card, list',
        },
      ],
    });
  });

  it('refuses an event-handler prop, a style prop and any unknown prop, one problem each, naming the allowed props', () => {
    const result = validateDocument(
      withRoot(button({ onclick: 'alert(1)', style: 'color:red', dangerouslySetInnerHTML: {} })),
    );
    expect(result).toEqual({
      ok: false,
      code: 'UI_SCHEMA_INVALID',
      problems: ['onclick', 'style', 'dangerouslySetInnerHTML'].map((key) => ({
        path: `root.${key}`,
        message: `"${key}" is not a prop of a button; a button allows: type, id, label, variant, href`,
      })),
    });
  });

  it('refuses a "__proto__" key from JSON as an unknown prop, not as a prototype', () => {
    const json = `{"version":1,"root":{"type":"text","text":"x","__proto__":{"tone":"muted"}},"tokens":${JSON.stringify(PRICING_CARD_EXAMPLE.tokens)}}`;
    expect(validateDocument(JSON.parse(json))).toEqual({
      ok: false,
      code: 'UI_SCHEMA_INVALID',
      problems: [
        {
          path: 'root.__proto__',
          message: '"__proto__" is not a prop of a text; a text allows: type, id, text, tone',
        },
      ],
    });
  });

  it.each([
    ['javascript:alert(1)'],
    ['JAVASCRIPT:alert(1)'],
    [' https://example.com'],
    ['https://example.com/a b'],
    ['https://example.com/"onmouseover="x'],
    ['http://example.com'],
    ['//example.com/x'],
    ['/relative'],
    ['data:text/html,<script>alert(1)</script>'],
    ['https://'],
    ['https://?q'],
  ])('refuses the link %j', (href) => {
    const result = validateDocument(withRoot(button({ href })));
    expect(result).toMatchObject({ ok: false, code: 'UI_SCHEMA_INVALID', problems: [{ path: 'root.href' }] });
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html;base64,PHNjcmlwdD4='],
    ['data:image/svg+xml;base64,PHN2Zz4='],
    ['data:image/png,rawbytes'],
    ['data:image/png;base64,AAAA"onerror="x'],
    ['http://example.com/a.png'],
  ])('refuses the image source %j', (src) => {
    expect(validateDocument(withRoot(image(src)))).toMatchObject({
      ok: false,
      problems: [{ path: 'root.src' }],
    });
  });

  it('accepts https: links and images, and base64 PNG, JPEG, GIF and WebP data images', () => {
    for (const src of [
      'https://cdn.example.com/a.png?x=1#y',
      'data:image/png;base64,iVBORw0KGgo=',
      'data:image/jpeg;base64,/9j/4AAQ',
      'data:image/gif;base64,R0lGODlh',
      'data:image/webp;base64,UklGRg==',
    ]) {
      expect(validateDocument(withRoot(image(src))).ok, src).toBe(true);
    }
    expect(validateDocument(withRoot(button({ href: 'https://example.com/x?y=1&z=2' }))).ok).toBe(true);
  });

  it('refuses an id used twice, naming where it was first used', () => {
    const root = {
      type: 'card',
      children: [
        { type: 'text', id: 'price', text: 'a' },
        { type: 'text', id: 'price', text: 'b' },
      ],
    };
    expect(validateDocument(withRoot(root))).toEqual({
      ok: false,
      code: 'UI_SCHEMA_INVALID',
      problems: [
        {
          path: 'root.children[1].id',
          message: 'the id "price" is already used at root.children[0].id; ids are unique in a document',
        },
      ],
    });
  });

  it('refuses ids that are not slot names', () => {
    for (const id of ['Price', '1st', 'a b', 'a_b', '', `a${'b'.repeat(64)}`, 'x"><script>']) {
      expect(validateDocument(withRoot({ type: 'text', id, text: 'x' })), id).toMatchObject({
        ok: false,
        problems: [{ path: 'root.id' }],
      });
    }
  });

  it('refuses props out of their range: heading level 5, an input type of its own, a missing alt', () => {
    const root = {
      type: 'stack',
      direction: 'row',
      gap: 'md',
      align: 'start',
      children: [
        { type: 'heading', level: 5, text: 'x' },
        { type: 'input', name: 'q', label: 'Q', inputType: 'file' },
        { type: 'image', src: 'https://example.com/a.png' },
      ],
    };
    const result = validateDocument(withRoot(root));
    expect(result.ok === false && result.problems.map((problem) => problem.path)).toEqual([
      'root.children[0].level',
      'root.children[1].inputType',
      'root.children[2].alt',
    ]);
  });

  it('refuses a version other than 1 and keys beside version, root and tokens', () => {
    const result = validateDocument({ ...PRICING_CARD_EXAMPLE, version: 2, script: 'x' });
    expect(result).toEqual({
      ok: false,
      code: 'UI_SCHEMA_INVALID',
      problems: [
        { path: 'version', message: 'the only version is 1' },
        { path: 'script', message: '"script" is not allowed here; remove it' },
      ],
    });
  });

  it.each([
    [
      'a colour that ends its declaration',
      (t: Record<string, Record<string, unknown>>) =>
        (t['colors']!['primary'] = 'red;}body{background:url(https://evil.example)'),
    ],
    [
      'a colour that ends the style element',
      (t: Record<string, Record<string, unknown>>) =>
        (t['colors']!['text'] = '#fff</style><script>alert(1)</script>'),
    ],
    ['a named colour', (t: Record<string, Record<string, unknown>>) => (t['colors']!['text'] = 'red')],
    [
      'a CSS expression',
      (t: Record<string, Record<string, unknown>>) => (t['colors']!['text'] = 'expression(alert(1))'),
    ],
    [
      'a size as a string with a unit',
      (t: Record<string, Record<string, unknown>>) => (t['spacing']!['md'] = '16px;}'),
    ],
    ['a fractional size', (t: Record<string, Record<string, unknown>>) => (t['spacing']!['md'] = 1.5)],
    ['a negative radius', (t: Record<string, Record<string, unknown>>) => (t['radius']!['lg'] = -4)],
    [
      'an infinite size',
      (t: Record<string, Record<string, unknown>>) => (t['font']!['size'] = Number.POSITIVE_INFINITY),
    ],
    [
      'a font family that ends its quote',
      (t: Record<string, Record<string, unknown>>) => (t['font']!['family'] = '"Inter";}body{color:red;}"'),
    ],
    [
      'a font family with an escape',
      (t: Record<string, Record<string, unknown>>) => (t['font']!['family'] = '"\\3c/style\\3e"'),
    ],
    [
      'a font family without quotes',
      (t: Record<string, Record<string, unknown>>) => (t['font']!['family'] = 'Comic Sans MS'),
    ],
    ['a token of its own', (t: Record<string, Record<string, unknown>>) => (t['colors']!['accent'] = '#fff')],
  ])('refuses design tokens with %s', (_name, edit) => {
    expect(validateDocument(withTokens(edit))).toMatchObject({ ok: false, code: 'UI_SCHEMA_INVALID' });
  });

  it('accepts a quoted font family name and every generic family', () => {
    for (const family of ['"Inter"', '"IBM Plex Sans"', 'system-ui', 'serif', 'ui-monospace']) {
      expect(validateDocument(withTokens((t) => (t['font']!['family'] = family))).ok, family).toBe(true);
    }
  });
});

describe('parseDocument', () => {
  it('returns the validated document', () => {
    const document: UiDocument = parseDocument(structuredClone(PRICING_CARD_EXAMPLE));
    expect(document).toEqual(PRICING_CARD_EXAMPLE);
  });

  it('throws a UiSchemaError with the code and every problem, and a message an agent can act on', () => {
    const root: UiNode = { type: 'text', text: 'x' };
    let thrown: unknown;
    try {
      parseDocument({ ...PRICING_CARD_EXAMPLE, root: { ...root, tone: 'loud', onclick: 'x' } });
    } catch (error) {
      thrown = error;
    }
    expect(isUiSchemaError(thrown, 'UI_SCHEMA_INVALID')).toBe(true);
    expect(isUiSchemaError(thrown, 'UI_SCHEMA_TOO_DEEP')).toBe(false);
    expect(thrown).toBeInstanceOf(UiSchemaError);
    const error = thrown as UiSchemaError;
    expect(error.retryable).toBe(false);
    expect(error.problems.map((problem) => problem.path)).toEqual(['root.tone', 'root.onclick']);
    expect(error.message).toMatch(
      /^the UI document was refused: root\.tone: .*; root\.onclick: "onclick" is not a prop of a text/,
    );
  });
});
