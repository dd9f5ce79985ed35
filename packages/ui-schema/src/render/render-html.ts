/**
 * The static HTML of a UI document, for a preview in an `<iframe sandbox>` or a file.
 *
 * Guarantees (tested by parsing the output with a real HTML parser):
 * - only the tags html, head, meta, title, style, body, main, div, section, p, span, h1–h4,
 *   button, a, label, input, img, ul, ol, li; never `<script>`;
 * - only the attributes lang, charset, name, content, http-equiv (in the head), class,
 *   data-ui-id, type, placeholder, required, alt, src, href, rel; never an `on*` attribute and
 *   never a `style` attribute;
 * - every text and attribute value escaped; every `href` an `https:` URL and every `src` an
 *   `https:` URL or a `data:image/…` raster image (the schema refuses anything else);
 * - styling only from one `<style>` block built from the validated tokens and fixed class names;
 * - a Content-Security-Policy that allows no script, frame, connection or font, images only from
 *   `https:` and `data:`, inline styles only, and no `<base>` or form target either.
 * The document is validated first: an invalid one is refused with a {@link UiSchemaError}.
 */
import { parseDocument, type UiDocument } from '../document.js';
import type { UiNode } from '../nodes.js';
import { escapeHtml } from './escape.js';
import { stylesheet } from './stylesheet.js';

/** Options of {@link renderHtml}. */
export interface RenderHtmlOptions {
  /** The page's `<title>` (escaped). Default: `UI preview`. */
  readonly title?: string;
}

/**
 * The policy the rendered page carries: nothing runs, only the inline style and images load.
 * `base-uri` and `form-action` do not fall back to `default-src`, so they are named too.
 */
export const PREVIEW_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * A complete, inert HTML document (`<!DOCTYPE html>` to `</html>`) showing `document`. Throws a
 * {@link UiSchemaError} (`UI_SCHEMA_INVALID`, `UI_SCHEMA_TOO_DEEP`, `UI_SCHEMA_TOO_LARGE`) when
 * the document does not validate.
 */
export function renderHtml(document: UiDocument, options: RenderHtmlOptions = {}): string {
  const valid = parseDocument(document);
  const title = escapeHtml(options.title ?? 'UI preview');
  const css = stylesheet(valid.tokens);
  // The tokens' patterns already make this impossible; the check keeps it so if a token is added
  // without a pattern strict enough.
  if (/[<>]/.test(css))
    throw new Error('the stylesheet holds "<" or ">": a design token escaped its pattern');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PREVIEW_CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>\n${css}\n</style>`,
    '</head>',
    `<body>\n<main class="ui-root">\n${renderNode(valid.root)}\n</main>\n</body>`,
    '</html>',
    '',
  ].join('\n');
}

/** `class="…"` and, for a node with an id, `data-ui-id="…"` (the preview can point at a slot). */
function attributes(node: UiNode, classes: readonly string[]): string {
  const id = node.id === undefined ? '' : ` data-ui-id="${escapeHtml(node.id)}"`;
  return ` class="${escapeHtml(classes.join(' '))}"${id}`;
}

function renderNodes(nodes: readonly UiNode[]): string {
  return nodes.map(renderNode).join('\n');
}

function renderNode(node: UiNode): string {
  switch (node.type) {
    case 'stack':
      return `<div${attributes(node, ['ui-stack', `ui-${node.direction}`, `ui-gap-${node.gap}`, `ui-align-${node.align}`])}>\n${renderNodes(node.children)}\n</div>`;
    case 'text':
      return `<p${attributes(node, ['ui-text', `ui-tone-${node.tone ?? 'default'}`])}>${escapeHtml(node.text)}</p>`;
    case 'heading':
      return `<h${node.level}${attributes(node, ['ui-heading'])}>${escapeHtml(node.text)}</h${node.level}>`;
    case 'button': {
      const classes = ['ui-button', `ui-button-${node.variant}`];
      // A button with a target is a link styled as a button: only `<a>` may carry an href.
      if (node.href !== undefined)
        return `<a${attributes(node, classes)} href="${escapeHtml(node.href)}" rel="noopener noreferrer">${escapeHtml(node.label)}</a>`;
      return `<button${attributes(node, classes)} type="button">${escapeHtml(node.label)}</button>`;
    }
    case 'input': {
      const placeholder =
        node.placeholder === undefined ? '' : ` placeholder="${escapeHtml(node.placeholder)}"`;
      const required = node.required === true ? ' required' : '';
      return (
        `<label${attributes(node, ['ui-field'])}><span class="ui-field-label">${escapeHtml(node.label)}</span>` +
        `<input class="ui-input" type="${escapeHtml(node.inputType)}" name="${escapeHtml(node.name)}"${placeholder}${required}></label>`
      );
    }
    case 'image':
      return `<img${attributes(node, ['ui-image'])} src="${escapeHtml(node.src)}" alt="${escapeHtml(node.alt)}">`;
    case 'card': {
      const title =
        node.title === undefined ? '' : `<p class="ui-card-title">${escapeHtml(node.title)}</p>\n`;
      return `<section${attributes(node, ['ui-card'])}>\n${title}${renderNodes(node.children)}\n</section>`;
    }
    case 'list': {
      const tag = node.ordered === true ? 'ol' : 'ul';
      const items = node.items.map((item) => `<li>${renderNode(item)}</li>`).join('\n');
      return `<${tag}${attributes(node, ['ui-list'])}>\n${items}\n</${tag}>`;
    }
  }
}
