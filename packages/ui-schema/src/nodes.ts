/**
 * The vocabulary: the eight components a UI document is made of, and the props each may carry.
 * Everything else is refused — an unknown component, an unknown prop (`onclick`, `style`), a URL
 * of another scheme. Every node may carry an `id`, a slot name unique in its document, by which
 * patches address it.
 *
 *   stack    direction (row|column), gap (a spacing step), align, children
 *   text     text, tone?
 *   heading  level (1–4), text
 *   button   label, variant (primary|secondary|link), href? (https:)
 *   input    name, label, inputType (text|email|number|password|search), placeholder?, required?
 *   image    src (https: or a data: raster image), alt
 *   card     title?, children
 *   list     ordered?, items
 */
import { z } from 'zod';
import { UI_LIMITS } from './limits.js';
import { SPACE_STEPS, type UiSpace } from './tokens.js';
import { HttpsUrlSchema, ImageSourceSchema } from './url.js';

/** A slot name: lower-case letters, digits and hyphens, starting with a letter, at most 64. */
export const NodeIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, {
  error: 'an id is a slot name: a lower-case letter, then up to 63 lower-case letters, digits or hyphens',
});

const text = (min = 0) => z.string().min(min).max(UI_LIMITS.maxStringLength);

/** The components, in the order the docs list them. */
export const UI_NODE_TYPES = [
  'stack',
  'text',
  'heading',
  'button',
  'input',
  'image',
  'card',
  'list',
] as const;
export type UiNodeType = (typeof UI_NODE_TYPES)[number];

const TONES = ['default', 'muted', 'primary', 'danger', 'success'] as const;
export type UiTone = (typeof TONES)[number];
const ALIGNS = ['start', 'center', 'end', 'stretch'] as const;
export type UiAlign = (typeof ALIGNS)[number];
const BUTTON_VARIANTS = ['primary', 'secondary', 'link'] as const;
const INPUT_TYPES = ['text', 'email', 'number', 'password', 'search'] as const;

interface Slot {
  readonly id?: string;
}
export interface UiStack extends Slot {
  readonly type: 'stack';
  readonly direction: 'row' | 'column';
  readonly gap: UiSpace;
  readonly align: UiAlign;
  readonly children: readonly UiNode[];
}
export interface UiText extends Slot {
  readonly type: 'text';
  readonly text: string;
  readonly tone?: UiTone;
}
export interface UiHeading extends Slot {
  readonly type: 'heading';
  readonly level: 1 | 2 | 3 | 4;
  readonly text: string;
}
export interface UiButton extends Slot {
  readonly type: 'button';
  readonly label: string;
  readonly variant: (typeof BUTTON_VARIANTS)[number];
  readonly href?: string;
}
export interface UiInput extends Slot {
  readonly type: 'input';
  readonly name: string;
  readonly label: string;
  readonly inputType: (typeof INPUT_TYPES)[number];
  readonly placeholder?: string;
  readonly required?: boolean;
}
export interface UiImage extends Slot {
  readonly type: 'image';
  readonly src: string;
  readonly alt: string;
}
export interface UiCard extends Slot {
  readonly type: 'card';
  readonly title?: string;
  readonly children: readonly UiNode[];
}
export interface UiList extends Slot {
  readonly type: 'list';
  readonly ordered?: boolean;
  readonly items: readonly UiNode[];
}
/** One node of a UI document: a component and its props. */
export type UiNode = UiStack | UiText | UiHeading | UiButton | UiInput | UiImage | UiCard | UiList;

/**
 * The props of each component that a patch's `set` may change, with the schema of a value. Not
 * listed, so not settable: `type` and `id` (replace the node instead) and `children`/`items`
 * (use `add`, `remove` and `replace`).
 */
export const SETTABLE_PROPS = {
  stack: {
    direction: z.enum(['row', 'column']),
    gap: z.enum(SPACE_STEPS),
    align: z.enum(ALIGNS),
  },
  text: { text: text(), tone: z.enum(TONES).optional() },
  heading: { level: z.number().int().min(1).max(4), text: text(1) },
  button: {
    label: text(1),
    variant: z.enum(BUTTON_VARIANTS),
    href: HttpsUrlSchema.optional(),
  },
  input: {
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, {
      error: 'a field name is a letter, then up to 63 letters, digits, _, . or -',
    }),
    label: text(1),
    inputType: z.enum(INPUT_TYPES),
    placeholder: text().optional(),
    required: z.boolean().optional(),
  },
  image: { src: ImageSourceSchema, alt: text(1) },
  card: { title: text().optional() },
  list: { ordered: z.boolean().optional() },
} as const satisfies Record<UiNodeType, Record<string, z.ZodType>>;

/** Every prop name `set` may name on some component (each component allows its own subset). */
export const SETTABLE_PROP_NAMES: readonly string[] = [
  ...new Set(Object.values(SETTABLE_PROPS).flatMap((props) => Object.keys(props))),
].sort();

const nodeList = (): z.ZodType<UiNode[]> => z.array(UiNodeSchema).max(UI_LIMITS.maxNodes);

const StackSchema = z.strictObject({
  type: z.literal('stack'),
  id: NodeIdSchema.optional(),
  ...SETTABLE_PROPS.stack,
  get children() {
    return nodeList();
  },
});
const CardSchema = z.strictObject({
  type: z.literal('card'),
  id: NodeIdSchema.optional(),
  ...SETTABLE_PROPS.card,
  get children() {
    return nodeList();
  },
});
const ListSchema = z.strictObject({
  type: z.literal('list'),
  id: NodeIdSchema.optional(),
  ...SETTABLE_PROPS.list,
  get items() {
    return nodeList();
  },
});
const leaf = <T extends UiNodeType>(type: T) =>
  z.strictObject({ type: z.literal(type), id: NodeIdSchema.optional(), ...SETTABLE_PROPS[type] });

/**
 * A node of the vocabulary (recursive through `children` and `items`). Parse documents with
 * `validateDocument`, which checks the size limits first: this schema alone recurses.
 */
export const UiNodeSchema: z.ZodType<UiNode> = z.discriminatedUnion(
  'type',
  [
    StackSchema,
    leaf('text'),
    leaf('heading'),
    leaf('button'),
    leaf('input'),
    leaf('image'),
    CardSchema,
    ListSchema,
  ],
  { error: unknownComponent },
) as z.ZodType<UiNode>;

function unknownComponent(issue: { readonly input?: unknown }): string {
  const type = isRecord(issue.input) ? issue.input['type'] : undefined;
  const named = typeof type === 'string' ? `"${type}" is not a component` : 'a node needs a "type"';
  return `${named}; use one of: ${UI_NODE_TYPES.join(', ')}`;
}

/** The list of child nodes a container holds (`children` or `items`), or undefined for a leaf. */
export function childrenOf(node: UiNode): readonly UiNode[] | undefined {
  if (node.type === 'stack' || node.type === 'card') return node.children;
  if (node.type === 'list') return node.items;
  return undefined;
}

/** The key of a container's child list, or undefined for a leaf. */
export function childKeyOf(type: UiNodeType): 'children' | 'items' | undefined {
  if (type === 'stack' || type === 'card') return 'children';
  return type === 'list' ? 'items' : undefined;
}

/** `a button`, `an input`: the component's name for a message. */
export function aOrAn(type: UiNodeType): string {
  return `${type === 'input' || type === 'image' ? 'an' : 'a'} ${type}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
