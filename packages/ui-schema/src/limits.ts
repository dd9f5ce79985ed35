/**
 * Size limits of a UI document or patch, checked by an iterative walk over the raw input before
 * Zod sees it. Zod's parsers recurse, so a hostile document nested 10,000 deep would overflow the
 * stack inside Zod; the walk refuses it first, with a problem naming where the limit was crossed.
 * The walk also bounds the work Zod may do afterwards: it refuses long arrays and huge strings
 * without looking at each element or character twice.
 */
import { UiSchemaErrorCode, type UiProblem } from './errors.js';
import { formatPath } from './json-path.js';

/** The limits every document (and every patch's nodes) must keep. */
export interface UiLimits {
  /** Nodes from the root to the deepest node, the root counting 1. */
  readonly maxDepth: number;
  /** Nodes in a document, or in all of a patch's nodes together. */
  readonly maxNodes: number;
  /** UTF-8 bytes of every string value together (texts, labels, URLs, tokens). */
  readonly maxTextBytes: number;
  /** Characters of any one string value other than a URL. */
  readonly maxStringLength: number;
  /** Characters of one `href` or `src` (a `data:` image is inline, so it may be longer). */
  readonly maxUrlLength: number;
  /** Ops in one patch. */
  readonly maxPatchOps: number;
}

/** Baton's limits: generous for a screen a person designs, far below what could slow a browser. */
export const UI_LIMITS: UiLimits = Object.freeze({
  maxDepth: 32,
  maxNodes: 2_000,
  maxTextBytes: 256 * 1024,
  maxStringLength: 4_096,
  maxUrlLength: 64 * 1024,
  maxPatchOps: 200,
});

/** Keys whose value is a node, and keys whose value is a list of nodes. */
const NODE_KEYS: ReadonlySet<string> = new Set(['root', 'node']);
const NODE_LIST_KEYS: ReadonlySet<string> = new Set(['children', 'items']);
const URL_KEYS: ReadonlySet<string> = new Set(['href', 'src']);

/**
 * Any value nests at most this deep (a node is an object in an array in an object: two levels
 * more per node depth, plus the document's own levels). Catches deep junk outside the nodes too.
 */
const MAX_JSON_DEPTH = UI_LIMITS.maxDepth * 2 + 6;
/** Values (objects, arrays, strings, numbers…) the walk visits at most: far above any valid input. */
const MAX_VALUES = UI_LIMITS.maxNodes * 16;
/** String problems listed before the walk stops listing them. */
const MAX_STRING_PROBLEMS = 20;

/** A limit the input crosses: `TOO_DEEP` or `TOO_LARGE`, with where and why. */
export interface LimitBreach {
  readonly code: typeof UiSchemaErrorCode.tooDeep | typeof UiSchemaErrorCode.tooLarge;
  readonly problems: readonly UiProblem[];
}

interface Frame {
  readonly value: unknown;
  /** Where the value sits: its parent's frame and its key or index there (paths are built only for a problem). */
  readonly parent: Frame | undefined;
  readonly segment: string | number;
  readonly jsonDepth: number;
  readonly nodeDepth: number;
  /** The key this value sits under in its parent object (for URLs and node lists). */
  readonly key: string | undefined;
  /** True for the elements of a `children` or `items` list. */
  readonly inNodeList: boolean;
}

/**
 * Walks `input` (a document, or a patch whose ops carry nodes) without recursion and returns the
 * first limit it crosses, or `undefined` when it keeps every limit. Objects reached under `root`
 * or `node`, and the elements of `children` and `items`, count as nodes. Never throws, whatever
 * the input (cycles included: they are infinitely deep).
 */
export function checkLimits(input: unknown, base = ''): LimitBreach | undefined {
  const stack: Frame[] = [
    {
      value: input,
      parent: undefined,
      segment: '',
      jsonDepth: 0,
      nodeDepth: 0,
      key: undefined,
      inNodeList: false,
    },
  ];
  const stringProblems: UiProblem[] = [];
  let values = 0;
  let nodes = 0;
  let textBytes = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    values += 1;
    if (values > MAX_VALUES)
      return tooLarge(
        pathOf(frame, base),
        `more than ${MAX_VALUES} values in all; a document has at most ${UI_LIMITS.maxNodes} nodes`,
      );
    const { value } = frame;
    if (typeof value === 'string') {
      const max =
        frame.key !== undefined && URL_KEYS.has(frame.key)
          ? UI_LIMITS.maxUrlLength
          : UI_LIMITS.maxStringLength;
      if (value.length > max) {
        if (stringProblems.length < MAX_STRING_PROBLEMS)
          stringProblems.push({
            path: pathOf(frame, base),
            message: `${value.length} characters, more than the ${max} allowed; shorten it`,
          });
        // Counted at its limit: the string has its own problem, and many of them still add up.
        textBytes += max;
      } else {
        textBytes += utf8Length(value);
      }
      if (textBytes > UI_LIMITS.maxTextBytes)
        return tooLarge(
          pathOf(frame, base),
          `the text of the whole input passes ${UI_LIMITS.maxTextBytes} bytes (UTF-8) here; keep the text shorter`,
          stringProblems,
        );
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const isNode =
      frame.inNodeList || (frame.key !== undefined && NODE_KEYS.has(frame.key) && !Array.isArray(value));
    const nodeDepth = isNode ? frame.nodeDepth + 1 : frame.nodeDepth;
    if (nodeDepth > UI_LIMITS.maxDepth)
      return tooDeep(
        pathOf(frame, base),
        `nodes nest more than ${UI_LIMITS.maxDepth} deep here; flatten the layout`,
      );
    if (frame.jsonDepth >= MAX_JSON_DEPTH)
      return tooDeep(
        pathOf(frame, base),
        `values nest more than ${MAX_JSON_DEPTH} deep here; a node's props are plain values`,
      );
    if (isNode) {
      nodes += 1;
      if (nodes > UI_LIMITS.maxNodes)
        return tooLarge(
          pathOf(frame, base),
          `more than ${UI_LIMITS.maxNodes} nodes; remove some`,
          stringProblems,
        );
    }
    if (Array.isArray(value)) {
      if (value.length > UI_LIMITS.maxNodes)
        return tooLarge(
          pathOf(frame, base),
          `a list of ${value.length} values, more than the ${UI_LIMITS.maxNodes} allowed`,
          stringProblems,
        );
      const inNodeList = frame.key !== undefined && NODE_LIST_KEYS.has(frame.key);
      // Pushed last to first, so elements are visited (and problems listed) in document order.
      for (let index = value.length - 1; index >= 0; index -= 1) {
        stack.push({
          value: value[index],
          parent: frame,
          segment: index,
          jsonDepth: frame.jsonDepth + 1,
          nodeDepth,
          key: frame.key,
          inNodeList,
        });
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > UI_LIMITS.maxNodes)
      return tooLarge(
        pathOf(frame, base),
        `an object with ${keys.length} keys, more than the ${UI_LIMITS.maxNodes} allowed`,
        stringProblems,
      );
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index]!;
      stack.push({
        value: (value as Record<string, unknown>)[key],
        parent: frame,
        segment: key,
        jsonDepth: frame.jsonDepth + 1,
        nodeDepth,
        key,
        inNodeList: false,
      });
    }
  }
  if (stringProblems.length > 0) return { code: UiSchemaErrorCode.tooLarge, problems: stringProblems };
  return undefined;
}

/** The JSON path of a frame's value, after `base`. */
function pathOf(frame: Frame, base: string): string {
  const segments: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent) segments.push(at.segment);
  return formatPath(base, segments.reverse());
}

/** UTF-8 bytes of `text` (a lone surrogate counts 3, as `TextEncoder` writes U+FFFD for it). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function tooDeep(path: string, message: string): LimitBreach {
  return { code: UiSchemaErrorCode.tooDeep, problems: [{ path, message }] };
}

function tooLarge(path: string, message: string, earlier: readonly UiProblem[] = []): LimitBreach {
  return { code: UiSchemaErrorCode.tooLarge, problems: [...earlier, { path, message }] };
}
