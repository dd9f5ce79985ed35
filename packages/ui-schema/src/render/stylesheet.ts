/**
 * The renderer's one `<style>` block: the design tokens as CSS custom properties, then a fixed
 * stylesheet over the renderer's fixed class names. Token values are validated (hex colours,
 * whole pixels, a strict font-family pattern), so nothing a document holds can end a declaration
 * or the style element.
 */
import type { DesignTokens } from '../tokens.js';
import { GENERIC_FONT_FAMILIES } from '../tokens.js';

/** The custom properties of the tokens. */
function tokenProperties(tokens: DesignTokens): string {
  const { colors, spacing, radius, font } = tokens;
  const family = (GENERIC_FONT_FAMILIES as readonly string[]).includes(font.family)
    ? `${font.family}, sans-serif`
    : `${font.family}, system-ui, sans-serif`;
  const lines = [
    `--ui-background: ${colors.background}`,
    `--ui-surface: ${colors.surface}`,
    `--ui-text: ${colors.text}`,
    `--ui-muted: ${colors.muted}`,
    `--ui-primary: ${colors.primary}`,
    `--ui-on-primary: ${colors.onPrimary}`,
    `--ui-border: ${colors.border}`,
    `--ui-danger: ${colors.danger}`,
    `--ui-success: ${colors.success}`,
    `--ui-space-none: 0px`,
    ...(['xs', 'sm', 'md', 'lg', 'xl'] as const).map((step) => `--ui-space-${step}: ${spacing[step]}px`),
    ...(['sm', 'md', 'lg'] as const).map((step) => `--ui-radius-${step}: ${radius[step]}px`),
    `--ui-font-family: ${family}`,
    `--ui-font-size: ${font.size}px`,
  ];
  return `:root {\n${lines.map((line) => `  ${line};`).join('\n')}\n}`;
}

const FIXED = `
*, *::before, *::after { box-sizing: border-box; }
body {
  margin: 0;
  padding: var(--ui-space-lg);
  background: var(--ui-background);
  color: var(--ui-text);
  font-family: var(--ui-font-family);
  font-size: var(--ui-font-size);
  line-height: 1.5;
}
.ui-stack { display: flex; }
.ui-row { flex-direction: row; flex-wrap: wrap; }
.ui-column { flex-direction: column; }
.ui-gap-none { gap: var(--ui-space-none); }
.ui-gap-xs { gap: var(--ui-space-xs); }
.ui-gap-sm { gap: var(--ui-space-sm); }
.ui-gap-md { gap: var(--ui-space-md); }
.ui-gap-lg { gap: var(--ui-space-lg); }
.ui-gap-xl { gap: var(--ui-space-xl); }
.ui-align-start { align-items: flex-start; }
.ui-align-center { align-items: center; }
.ui-align-end { align-items: flex-end; }
.ui-align-stretch { align-items: stretch; }
.ui-text { margin: 0; }
.ui-tone-default { color: var(--ui-text); }
.ui-tone-muted { color: var(--ui-muted); }
.ui-tone-primary { color: var(--ui-primary); }
.ui-tone-danger { color: var(--ui-danger); }
.ui-tone-success { color: var(--ui-success); }
.ui-heading { margin: 0; line-height: 1.2; }
h1.ui-heading { font-size: 2.25em; }
h2.ui-heading { font-size: 1.75em; }
h3.ui-heading { font-size: 1.375em; }
h4.ui-heading { font-size: 1.125em; }
.ui-button {
  display: inline-block;
  padding: var(--ui-space-sm) var(--ui-space-md);
  border: 1px solid transparent;
  border-radius: var(--ui-radius-md);
  font: inherit;
  text-align: center;
  text-decoration: none;
  cursor: pointer;
}
.ui-button-primary { background: var(--ui-primary); color: var(--ui-on-primary); }
.ui-button-secondary { background: var(--ui-surface); color: var(--ui-text); border-color: var(--ui-border); }
.ui-button-link { background: none; color: var(--ui-primary); text-decoration: underline; padding-left: 0; padding-right: 0; }
.ui-field { display: flex; flex-direction: column; gap: var(--ui-space-xs); }
.ui-field-label { font-weight: 600; }
.ui-input {
  padding: var(--ui-space-sm);
  border: 1px solid var(--ui-border);
  border-radius: var(--ui-radius-sm);
  background: var(--ui-background);
  color: var(--ui-text);
  font: inherit;
}
.ui-image { display: block; max-width: 100%; height: auto; }
.ui-card {
  display: flex;
  flex-direction: column;
  gap: var(--ui-space-md);
  padding: var(--ui-space-lg);
  background: var(--ui-surface);
  border: 1px solid var(--ui-border);
  border-radius: var(--ui-radius-lg);
}
.ui-card-title { margin: 0; font-weight: 600; }
.ui-list { margin: 0; padding-left: 1.5em; display: flex; flex-direction: column; gap: var(--ui-space-xs); }
`;

/** The stylesheet of a document's tokens. */
export function stylesheet(tokens: DesignTokens): string {
  return `${tokenProperties(tokens)}\n${FIXED.trim()}`;
}
