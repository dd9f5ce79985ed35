/**
 * Escaping for the renderer. Every text and attribute value goes through {@link escapeHtml}: the
 * five characters that can end a text or a double-quoted attribute, or start markup, become
 * entities, so `<script>`, `</textarea>` or `" onclick="` in a document stay text. Characters an
 * HTML document may not carry (NUL and other controls, lone surrogates, noncharacters) become
 * U+FFFD, as a browser would show them anyway, so the output parses without a single error.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Controls other than tab, line feed, form feed and carriage return; surrogates not in a pair; noncharacters. */
const NOT_CARRIED =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\p{Noncharacter_Code_Point}]/gu;

/** `value` safe as element text and as a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(NOT_CARRIED, '\uFFFD').replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}
