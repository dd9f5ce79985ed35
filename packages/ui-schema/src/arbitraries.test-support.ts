/**
 * fast-check arbitraries of valid UI documents (texts full of markup and odd characters, ids on
 * some nodes), of patches over them (mostly sensible, often not: unknown ids, props a component
 * lacks, hostile values), and of one valid `set` per document.
 */
import fc from 'fast-check';
import type { UiDocument, UiNode, UiPatch, UiPropValue } from './index.js';

export const HOSTILE_TEXTS = [
  '<script>alert(1)</script>',
  '</textarea><script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</style><script>alert(1)</script>',
  '<!-- comment --> &amp; &lt; &#x3c;',
  'javascript:alert(1)',
  '\u0000\u0007\uD800\uFFFE',
  'a\r\nb\rc',
];

const text = (minLength = 0) =>
  fc.oneof(fc.string({ unit: 'binary', minLength, maxLength: 24 }), fc.constantFrom(...HOSTILE_TEXTS));
const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const httpsUrl = fc
  .tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[A-Za-z0-9/._~?=&%-]{0,20}$/))
  .map(([host, path]) => `https://${host}.example/${path}`);
const imageSource = fc.oneof(
  httpsUrl,
  fc.stringMatching(/^[A-Za-z0-9+/]{4,40}$/).map((data) => `data:image/png;base64,${data}`),
);
const space = fc.constantFrom('none', 'xs', 'sm', 'md', 'lg', 'xl');

/** A valid value of each settable prop. */
const PROP_VALUES: Readonly<Record<string, fc.Arbitrary<UiPropValue>>> = {
  direction: fc.constantFrom('row', 'column'),
  gap: space,
  align: fc.constantFrom('start', 'center', 'end', 'stretch'),
  text: text(),
  tone: fc.constantFrom('default', 'muted', 'primary', 'danger', 'success', null),
  level: fc.integer({ min: 1, max: 4 }),
  label: text(1),
  variant: fc.constantFrom('primary', 'secondary', 'link'),
  href: fc.option(httpsUrl, { nil: null }),
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,10}$/),
  inputType: fc.constantFrom('text', 'email', 'number', 'password', 'search'),
  placeholder: fc.option(text(), { nil: null }),
  required: fc.option(fc.boolean(), { nil: null }),
  src: imageSource,
  alt: text(1),
  title: fc.option(text(), { nil: null }),
  ordered: fc.option(fc.boolean(), { nil: null }),
};

/** The props each component's `set` may change (written out here, apart from the package's table). */
const SETTABLE: Readonly<Record<UiNode['type'], readonly string[]>> = {
  stack: ['direction', 'gap', 'align'],
  text: ['text', 'tone'],
  heading: ['level', 'text'],
  button: ['label', 'variant', 'href'],
  input: ['name', 'label', 'inputType', 'placeholder', 'required'],
  image: ['src', 'alt'],
  card: ['title'],
  list: ['ordered'],
};

const slot = { id };
const leaves: fc.Arbitrary<UiNode>[] = [
  fc.record(
    {
      type: fc.constant('text' as const),
      ...slot,
      text: text(),
      tone: PROP_VALUES['tone']!.filter((v) => v !== null) as fc.Arbitrary<'muted'>,
    },
    { requiredKeys: ['type', 'text'] },
  ),
  fc.record(
    {
      type: fc.constant('heading' as const),
      ...slot,
      level: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1>,
      text: text(1),
    },
    { requiredKeys: ['type', 'level', 'text'] },
  ),
  fc.record(
    {
      type: fc.constant('button' as const),
      ...slot,
      label: text(1),
      variant: fc.constantFrom('primary', 'secondary', 'link') as fc.Arbitrary<'link'>,
      href: httpsUrl,
    },
    { requiredKeys: ['type', 'label', 'variant'] },
  ),
  fc.record(
    {
      type: fc.constant('input' as const),
      ...slot,
      name: PROP_VALUES['name'] as fc.Arbitrary<string>,
      label: text(1),
      inputType: fc.constantFrom('text', 'email', 'number', 'password', 'search') as fc.Arbitrary<'text'>,
      placeholder: text(),
      required: fc.boolean(),
    },
    { requiredKeys: ['type', 'name', 'label', 'inputType'] },
  ),
  fc.record(
    { type: fc.constant('image' as const), ...slot, src: imageSource, alt: text(1) },
    { requiredKeys: ['type', 'src', 'alt'] },
  ),
];

const containers = (child: fc.Arbitrary<UiNode>, minLength = 0): fc.Arbitrary<UiNode>[] => [
  fc.record(
    {
      type: fc.constant('stack' as const),
      ...slot,
      direction: fc.constantFrom('row', 'column') as fc.Arbitrary<'row'>,
      gap: space as fc.Arbitrary<'md'>,
      align: fc.constantFrom('start', 'center', 'end', 'stretch') as fc.Arbitrary<'start'>,
      children: fc.array(child, { minLength, maxLength: 5, depthIdentifier: 'node' }),
    },
    { requiredKeys: ['type', 'direction', 'gap', 'align', 'children'] },
  ),
  fc.record(
    {
      type: fc.constant('card' as const),
      ...slot,
      title: text(),
      children: fc.array(child, { minLength, maxLength: 5, depthIdentifier: 'node' }),
    },
    { requiredKeys: ['type', 'children'] },
  ),
  fc.record(
    {
      type: fc.constant('list' as const),
      ...slot,
      ordered: fc.boolean(),
      items: fc.array(child, { minLength, maxLength: 5, depthIdentifier: 'node' }),
    },
    { requiredKeys: ['type', 'items'] },
  ),
];

/** A random node tree, at most about 5 deep; ids may repeat (see {@link withUniqueIds}). */
const nodeArbitrary: fc.Arbitrary<UiNode> = fc.letrec<{ node: UiNode }>((tie) => ({
  node: fc.oneof({ maxDepth: 4, depthIdentifier: 'node' }, ...leaves, ...containers(tie('node'))),
})).node;

/** A container holding at least one node: the usual root of a screen. */
const rootArbitrary: fc.Arbitrary<UiNode> = fc.oneof(...containers(nodeArbitrary, 1));

const hex = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);
const pixels = fc.integer({ min: 0, max: 64 });
const tokens = fc.record({
  colors: fc.record({
    background: hex,
    surface: hex,
    text: hex,
    muted: hex,
    primary: hex,
    onPrimary: hex,
    border: hex,
    danger: hex,
    success: hex,
  }),
  spacing: fc.record({ xs: pixels, sm: pixels, md: pixels, lg: pixels, xl: pixels }),
  radius: fc.record({ sm: pixels, md: pixels, lg: pixels }),
  font: fc.record({
    family: fc.constantFrom('system-ui', 'serif', 'ui-monospace', '"Inter"', '"IBM Plex Sans"'),
    size: fc.integer({ min: 10, max: 32 }),
  }),
});

/** A random valid document. */
export const documentArbitrary: fc.Arbitrary<UiDocument> = fc
  .record({
    root: fc.oneof({ weight: 9, arbitrary: rootArbitrary }, { weight: 1, arbitrary: nodeArbitrary }),
    tokens,
  })
  .map(({ root, tokens }) => ({ version: 1 as const, root: withUniqueIds(root), tokens }));

/** A copy of `root` where an id used a second time is dropped (first come, first kept). */
function withUniqueIds(root: UiNode): UiNode {
  const seen = new Set<string>();
  const copy = (node: UiNode): UiNode => {
    const { id, ...rest } = node as UiNode & Record<string, unknown>;
    const keep = id !== undefined && !seen.has(id);
    if (keep) seen.add(id);
    const out: Record<string, unknown> = { ...rest, ...(keep ? { id } : {}) };
    if (Array.isArray(out['children'])) out['children'] = (out['children'] as UiNode[]).map(copy);
    if (Array.isArray(out['items'])) out['items'] = (out['items'] as UiNode[]).map(copy);
    return out as unknown as UiNode;
  };
  return copy(root);
}

/** Every node with an id, with its JSON path (an implementation of its own, recursive). */
function slots(root: UiNode, path = 'root'): { id: string; node: UiNode; path: string }[] {
  const here = root.id === undefined ? [] : [{ id: root.id, node: root, path }];
  const key = root.type === 'list' ? 'items' : 'children';
  const children =
    root.type === 'list' ? root.items : root.type === 'stack' || root.type === 'card' ? root.children : [];
  return [...here, ...children.flatMap((child, index) => slots(child, `${path}.${key}[${index}]`))];
}

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  ...Object.values(PROP_VALUES),
  fc.constantFrom(
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'red;}body{color:red',
    -1,
    99,
    1.5,
  ),
);

/** A valid value of `prop` on a component of `type` (a heading's text may not be empty, a text's may). */
function valueFor(type: UiNode['type'], prop: string): fc.Arbitrary<UiPropValue> {
  return type === 'heading' && prop === 'text' ? text(1) : PROP_VALUES[prop]!;
}

/**
 * A random patch for `document`: mostly ops that make sense for it (a prop its target has, a
 * container to add to), some that do not (made-up ids, props a component lacks, hostile values).
 * Later ops may name nodes earlier ones removed: those patches are refused, as they should be.
 */
export function patchArbitrary(document: UiDocument): fc.Arbitrary<UiPatch> {
  const all = slots(document.root);
  const target =
    all.length === 0
      ? id
      : fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...all.map((entry) => entry.id)) },
          { weight: 1, arbitrary: id },
        );
  const prop = fc.constantFrom(...Object.keys(PROP_VALUES), 'children', 'items', 'type', 'id', 'onclick');
  const anyOp = fc.oneof(
    fc.record(
      {
        op: fc.constant('add' as const),
        parent: target,
        index: fc.integer({ min: 0, max: 5 }),
        node: nodeArbitrary,
      },
      { requiredKeys: ['op', 'parent', 'node'] },
    ),
    fc.record({ op: fc.constant('remove' as const), target }),
    fc.record({ op: fc.constant('replace' as const), target, node: nodeArbitrary }),
    fc.record({ op: fc.constant('set' as const), target, prop, value: anyValue }),
  );
  const sensible: fc.Arbitrary<unknown>[] = [];
  if (all.length > 0) {
    const pick = fc.constantFrom(...all);
    sensible.push(
      pick.chain((slot) =>
        fc.constantFrom(...SETTABLE[slot.node.type]).chain((name) =>
          valueFor(slot.node.type, name).map((value) => ({
            op: 'set',
            target: slot.id,
            prop: name,
            value,
          })),
        ),
      ),
      pick.chain((slot) => nodeArbitrary.map((node) => ({ op: 'replace', target: slot.id, node }))),
    );
    const nonRoot = all.filter((entry) => entry.path !== 'root');
    if (nonRoot.length > 0)
      sensible.push(fc.constantFrom(...nonRoot).map((slot) => ({ op: 'remove', target: slot.id })));
    const holders = all.filter((entry) => ['stack', 'card', 'list'].includes(entry.node.type));
    if (holders.length > 0)
      sensible.push(
        fc.record({
          op: fc.constant('add'),
          parent: fc.constantFrom(...holders.map((entry) => entry.id)),
          node: nodeArbitrary,
        }),
      );
  }
  const op =
    sensible.length === 0
      ? anyOp
      : fc.oneof({ weight: 1, arbitrary: anyOp }, { weight: 4, arbitrary: fc.oneof(...sensible) });
  return fc.record({ ops: fc.array(op, { maxLength: 4 }) }) as fc.Arbitrary<UiPatch>;
}

/** A document with at least one id, and a valid `set` of one of its slots (the value may equal the old one). */
export const documentWithSetArbitrary = documentArbitrary
  .filter((document) => slots(document.root).length > 0)
  .chain((document) =>
    fc
      .constantFrom(...slots(document.root))
      .chain((slot) =>
        fc
          .constantFrom(...SETTABLE[slot.node.type])
          .chain((prop) => valueFor(slot.node.type, prop).map((value) => ({ document, slot, prop, value }))),
      ),
  );
