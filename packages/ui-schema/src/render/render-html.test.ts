import { describe, expect, it } from 'vitest';
import { HOSTILE_TEXTS } from '../arbitraries.test-support.js';
import { isUiSchemaError, PRICING_CARD_EXAMPLE, renderHtml, type UiDocument, type UiNode } from '../index.js';
import { asShown, attribute, auditHtml, bySlot, elements, textOf } from './html-audit.test-support.js';

const withRoot = (root: unknown): UiDocument => ({ ...PRICING_CARD_EXAMPLE, root }) as UiDocument;
const stack = (children: UiNode[]): UiNode => ({
  type: 'stack',
  direction: 'column',
  gap: 'md',
  align: 'stretch',
  children,
});

/** Renders `document` and fails on any breach the independent audit finds. */
function rendered(document: UiDocument) {
  const html = renderHtml(document);
  const audit = auditHtml(html);
  expect(audit.violations).toEqual([]);
  return { html, ...audit };
}

function refusal(document: unknown): unknown {
  try {
    renderHtml(document as UiDocument);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('renderHtml', () => {
  it('renders the pricing card as a complete document that passes the audit', () => {
    const { html, document } = rendered(PRICING_CARD_EXAMPLE);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(bySlot(document, 'plan-name')?.tagName).toBe('h2');
    expect(textOf(bySlot(document, 'price')!)).toBe('$24');
    expect(bySlot(document, 'features')?.tagName).toBe('ul');
    const cta = bySlot(document, 'cta')!;
    expect(cta.tagName).toBe('a');
    expect(attribute(cta, 'href')).toBe('https://example.com/signup?plan=team');
    expect(attribute(cta, 'class')).toBe('ui-button ui-button-primary');
  });

  it('carries the strict Content-Security-Policy in a meta element of the head', () => {
    const { document } = rendered(PRICING_CARD_EXAMPLE);
    const meta = elements(document).find(
      (element) => attribute(element, 'http-equiv') === 'Content-Security-Policy',
    );
    expect(attribute(meta!, 'content')).toBe(
      "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    );
  });

  it('styles only through one style element built from the tokens and fixed classes', () => {
    const { document } = rendered(PRICING_CARD_EXAMPLE);
    const css = textOf(elements(document).find((element) => element.tagName === 'style')!);
    expect(css).toContain('--ui-primary: #3451b2;');
    expect(css).toContain('--ui-space-xl: 40px;');
    expect(css).toContain('--ui-font-family: system-ui, sans-serif;');
    expect(
      elements(document).filter((element) => element.attrs.some((attr) => attr.name === 'style')),
    ).toEqual([]);
  });

  it('renders every hostile text as the same text, inert, in text, labels, placeholders and alt texts', () => {
    const root = stack(
      HOSTILE_TEXTS.flatMap((hostile, index): UiNode[] => [
        { type: 'text', id: `text-${index}`, text: hostile },
        { type: 'heading', id: `heading-${index}`, level: 3, text: hostile },
        { type: 'button', id: `button-${index}`, label: hostile, variant: 'secondary' },
        {
          type: 'input',
          id: `input-${index}`,
          name: 'q',
          label: hostile,
          inputType: 'search',
          placeholder: hostile,
        },
        { type: 'image', id: `image-${index}`, src: 'https://example.com/a.png', alt: hostile },
        { type: 'card', id: `card-${index}`, title: hostile, children: [] },
      ]),
    );
    const { document } = rendered(withRoot(root));
    HOSTILE_TEXTS.forEach((hostile, index) => {
      const shown = asShown(hostile);
      expect(textOf(bySlot(document, `text-${index}`)!)).toBe(shown);
      expect(textOf(bySlot(document, `heading-${index}`)!)).toBe(shown);
      expect(textOf(bySlot(document, `button-${index}`)!)).toBe(shown);
      const input = bySlot(document, `input-${index}`)!;
      expect(textOf(input)).toBe(shown);
      expect(
        attribute(
          elements(input).find((element) => element.tagName === 'input')!,
          'placeholder',
        ),
      ).toBe(shown);
      expect(attribute(bySlot(document, `image-${index}`)!, 'alt')).toBe(shown);
      expect(textOf(bySlot(document, `card-${index}`)!).trim()).toBe(shown.trim());
    });
  });

  it('renders a button without a link as <button type="button">, and a link button as <a> with rel', () => {
    const { document } = rendered(
      withRoot(
        stack([
          { type: 'button', id: 'plain', label: 'Go', variant: 'link' },
          { type: 'button', id: 'linked', label: 'Docs', variant: 'link', href: 'https://example.com/docs' },
        ]),
      ),
    );
    expect(bySlot(document, 'plain')).toMatchObject({
      tagName: 'button',
      attrs: expect.arrayContaining([{ name: 'type', value: 'button' }]),
    });
    expect(bySlot(document, 'linked')).toMatchObject({
      tagName: 'a',
      attrs: expect.arrayContaining([{ name: 'rel', value: 'noopener noreferrer' }]),
    });
  });

  it('renders an input inside its label, with its type, name and required flag', () => {
    const { document } = rendered(
      withRoot({
        type: 'input',
        id: 'email',
        name: 'email',
        label: 'Email',
        inputType: 'email',
        required: true,
      }),
    );
    const label = bySlot(document, 'email')!;
    expect(label.tagName).toBe('label');
    const input = elements(label).find((element) => element.tagName === 'input')!;
    expect(input.attrs).toEqual([
      { name: 'class', value: 'ui-input' },
      { name: 'type', value: 'email' },
      { name: 'name', value: 'email' },
      { name: 'required', value: '' },
    ]);
  });

  it('renders ordered lists as <ol> with each item in an <li>, and data images as img sources', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const { document } = rendered(
      withRoot({
        type: 'list',
        id: 'steps',
        ordered: true,
        items: [{ type: 'image', id: 'logo', src: png, alt: 'Logo' }],
      }),
    );
    expect(bySlot(document, 'steps')?.tagName).toBe('ol');
    expect(attribute(bySlot(document, 'logo')!, 'src')).toBe(png);
  });

  it('escapes the page title', () => {
    const html = renderHtml(PRICING_CARD_EXAMPLE, { title: '</title><script>alert(1)</script>' });
    const audit = auditHtml(html);
    expect(audit.violations).toEqual([]);
    expect(textOf(elements(audit.document).find((element) => element.tagName === 'title')!)).toBe(
      '</title><script>alert(1)</script>',
    );
  });

  it.each([
    [
      'a javascript: link',
      withRoot({ type: 'button', label: 'x', variant: 'link', href: 'javascript:alert(1)' }),
      'UI_SCHEMA_INVALID',
    ],
    [
      'a data:text/html image',
      withRoot({ type: 'image', alt: 'x', src: 'data:text/html,<script>alert(1)</script>' }),
      'UI_SCHEMA_INVALID',
    ],
    [
      'an onclick prop',
      withRoot({ type: 'button', label: 'x', variant: 'primary', onclick: 'alert(1)' }),
      'UI_SCHEMA_INVALID',
    ],
    ['an unknown component', withRoot({ type: 'script', text: 'alert(1)' }), 'UI_SCHEMA_INVALID'],
    [
      'a token that breaks out of the stylesheet',
      {
        ...PRICING_CARD_EXAMPLE,
        tokens: {
          ...PRICING_CARD_EXAMPLE.tokens,
          colors: {
            ...PRICING_CARD_EXAMPLE.tokens.colors,
            primary: 'red;}</style><script>alert(1)</script>',
          },
        },
      },
      'UI_SCHEMA_INVALID',
    ],
    ['5 MB of text', withRoot({ type: 'text', text: '<'.repeat(5 * 1024 * 1024) }), 'UI_SCHEMA_TOO_LARGE'],
  ] as const)('refuses to render a document with %s, with a UiSchemaError', (_name, document, code) => {
    expect(isUiSchemaError(refusal(document), code)).toBe(true);
  });

  it('refuses to render a document nested 10,000 deep with UI_SCHEMA_TOO_DEEP', () => {
    let node: unknown = { type: 'text', text: 'x' };
    for (let level = 0; level < 10_000; level += 1) node = stack([node as UiNode]);
    expect(isUiSchemaError(refusal(withRoot(node)), 'UI_SCHEMA_TOO_DEEP')).toBe(true);
  });
});
