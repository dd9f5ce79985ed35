/**
 * Design tokens: the only styling a document carries. Every value is checked by a pattern that
 * leaves nothing to escape in CSS — colours are hex, sizes are whole pixels, a font family is a
 * generic name or a quoted family name of letters, digits, spaces and hyphens — so the renderer's
 * stylesheet can never be broken out of (`red;}body{…`, `</style><script>` are refused here).
 */
import { z } from 'zod';

/** `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`. */
const HexColorSchema = z.string().regex(/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, {
  error: 'must be a hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa',
});

const pixels = (max: number) => z.number().int({ error: 'must be a whole number of pixels' }).min(0).max(max);

/** Generic and system font families a token may name as they are. */
export const GENERIC_FONT_FAMILIES = [
  'system-ui',
  'sans-serif',
  'serif',
  'monospace',
  'ui-sans-serif',
  'ui-serif',
  'ui-monospace',
  'ui-rounded',
] as const;

/** A font family: a generic name, or one family name in double quotes (`"Inter"`, `"IBM Plex Sans"`). */
const FontFamilySchema = z.union(
  [z.enum(GENERIC_FONT_FAMILIES), z.string().regex(/^"[A-Za-z0-9][A-Za-z0-9 -]{0,62}"$/)],
  {
    error: `must be one of ${GENERIC_FONT_FAMILIES.join(', ')}, or a family name in double quotes ("Inter") of letters, digits, spaces and hyphens`,
  },
);

/** The named steps of the spacing scale; a stack's `gap` names one. */
export const SPACE_STEPS = ['none', 'xs', 'sm', 'md', 'lg', 'xl'] as const;
export type UiSpace = (typeof SPACE_STEPS)[number];

export const DesignTokensSchema = z.strictObject({
  colors: z.strictObject({
    /** The page behind everything. */
    background: HexColorSchema,
    /** Cards and secondary buttons. */
    surface: HexColorSchema,
    text: HexColorSchema,
    /** Text with `tone: muted`. */
    muted: HexColorSchema,
    /** Primary buttons, links and `tone: primary`. */
    primary: HexColorSchema,
    /** Text on a primary button. */
    onPrimary: HexColorSchema,
    border: HexColorSchema,
    danger: HexColorSchema,
    success: HexColorSchema,
  }),
  /** Pixels of each spacing step (`none` is always 0). */
  spacing: z.strictObject({
    xs: pixels(256),
    sm: pixels(256),
    md: pixels(256),
    lg: pixels(256),
    xl: pixels(256),
  }),
  /** Corner radii in pixels: `sm` for inputs, `md` for buttons, `lg` for cards. */
  radius: z.strictObject({ sm: pixels(999), md: pixels(999), lg: pixels(999) }),
  font: z.strictObject({
    family: FontFamilySchema,
    /** The body text size in pixels; headings scale from it. */
    size: z.number().int({ error: 'must be a whole number of pixels' }).min(10).max(32),
  }),
});

/** Validated design tokens (see {@link DesignTokensSchema}). */
export type DesignTokens = z.output<typeof DesignTokensSchema>;
