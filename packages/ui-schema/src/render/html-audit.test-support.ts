/**
 * An independent check of rendered HTML: the output is parsed with parse5 (a parser that follows
 * the HTML standard, as browsers do), and the tree is held to the renderer's promises. The allow
 * lists here are written out on their own, not imported from the renderer, so a renderer change
 * that widens what it emits fails the tests until this file agrees.
 */
import { parse, type DefaultTreeAdapterTypes } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

const TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'div',
  'section',
  'p',
  'span',
  'h1',
  'h2',
  'h3',
  'h4',
  'button',
  'a',
  'label',
  'input',
  'img',
  'ul',
  'ol',
  'li',
]);
const ATTRIBUTES = new Set([
  'lang',
  'charset',
  'name',
  'content',
  'http-equiv',
  'class',
  'data-ui-id',
  'type',
  'placeholder',
  'required',
  'alt',
  'src',
  'href',
  'rel',
]);
const HTTPS = /^https:\/\/[^\s"'<>\\`]+$/;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const CSP = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'";

/** What {@link auditHtml} found: every breach of the rules, and the parsed tree to look into. */
export interface HtmlAudit {
  readonly violations: readonly string[];
  readonly document: DefaultTreeAdapterTypes.Document;
}

/** Parses `html` and lists every breach: parse errors, tags, attributes, URLs, style, CSP. */
export function auditHtml(html: string): HtmlAudit {
  const violations: string[] = [];
  const document = parse(html, {
    onParseError: (error) => violations.push(`parse error ${error.code} at offset ${error.startOffset}`),
  });
  let styles = 0;
  let policies = 0;
  for (const element of elements(document)) {
    const tag = element.tagName;
    if (tag === 'script') violations.push('a <script> element');
    if (!TAGS.has(tag)) violations.push(`tag <${tag}> outside the allow-list`);
    for (const { name, value } of element.attrs) {
      if (name.startsWith('on')) violations.push(`event handler attribute ${name} on <${tag}>`);
      if (name === 'style') violations.push(`style attribute on <${tag}>`);
      if (!ATTRIBUTES.has(name)) violations.push(`attribute ${name} outside the allow-list on <${tag}>`);
      if (name === 'href' && (tag !== 'a' || !HTTPS.test(value)))
        violations.push(`href ${JSON.stringify(value)} on <${tag}>`);
      if (name === 'src' && (tag !== 'img' || !(HTTPS.test(value) || DATA_IMAGE.test(value))))
        violations.push(`src ${JSON.stringify(value.slice(0, 80))} on <${tag}>`);
    }
    if (tag === 'style') {
      styles += 1;
      const css = textOf(element);
      if (/[<>]|@import|url\(|expression\(|\\/i.test(css))
        violations.push('the stylesheet holds markup, an import, a URL or an escape');
    }
    if (tag === 'meta' && attribute(element, 'http-equiv') === 'Content-Security-Policy') {
      policies += 1;
      if (!attribute(element, 'content')?.startsWith(CSP))
        violations.push(`CSP ${attribute(element, 'content')}`);
    }
  }
  if (styles !== 1) violations.push(`${styles} <style> elements, not one`);
  if (policies !== 1) violations.push(`${policies} CSP <meta> elements, not one`);
  return { violations, document };
}

/** Every element of the tree, in document order. */
export function elements(root: Node): Element[] {
  const found: Element[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('tagName' in node) found.push(node);
    if ('childNodes' in node)
      for (let i = node.childNodes.length - 1; i >= 0; i -= 1) stack.push(node.childNodes[i]!);
  }
  return found;
}

/** The text content of `element` (all its text nodes, in order). */
export function textOf(element: Node): string {
  if (element.nodeName === '#text') return (element as DefaultTreeAdapterTypes.TextNode).value;
  if (!('childNodes' in element)) return '';
  return element.childNodes.map(textOf).join('');
}

export function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

/** The element whose `data-ui-id` is `id`. */
export function bySlot(document: DefaultTreeAdapterTypes.Document, id: string): Element | undefined {
  return elements(document).find((element) => attribute(element, 'data-ui-id') === id);
}

/** What a browser shows for a string in a text: HTML's newline normalisation, unsupported characters as U+FFFD. */
export function asShown(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\p{Noncharacter_Code_Point}]/gu,
    '\uFFFD',
  );
}
