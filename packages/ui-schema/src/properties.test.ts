/**
 * Properties over random valid documents (texts full of markup and characters HTML cannot carry)
 * and random patches (sensible ones and hostile ones): what renders stays inside the allow-lists,
 * `applyPatch` never throws and what it returns validates, the diff of a document with itself is
 * empty, and the diff after one `set` names exactly that change.
 *
 * Replay a failure with the seed and path fast-check prints: `BATON_FC_SEED=… BATON_FC_PATH=…`.
 * `BATON_FC_RUNS` scales the number of runs.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentArbitrary, documentWithSetArbitrary, patchArbitrary } from './arbitraries.test-support.js';
import {
  applyPatch,
  diffUi,
  renderHtml,
  UI_DOCUMENT_JSON_SCHEMA,
  validateDocument,
  type UiDocument,
  type UiNode,
} from './index.js';
import { asShown, auditHtml, elements, textOf } from './render/html-audit.test-support.js';

const scale = Number(process.env['BATON_FC_RUNS'] ?? '1');
const seed = process.env['BATON_FC_SEED'];
const path = process.env['BATON_FC_PATH'];

function params(numRuns: number): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

/** Generous: shrinking a failure takes far longer than the passing runs. */
const TIMEOUT = 120_000;

/** The texts of text and heading nodes, in document order (its own recursive walk). */
function shownTexts(node: UiNode): string[] {
  const own = node.type === 'text' || node.type === 'heading' ? [asShown(node.text)] : [];
  const children =
    node.type === 'list' ? node.items : node.type === 'stack' || node.type === 'card' ? node.children : [];
  return [...own, ...children.flatMap(shownTexts)];
}

/** JSON with keys sorted: equal for documents equal whatever the order of their keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function expectRendersSafely(document: UiDocument): void {
  const audit = auditHtml(renderHtml(document));
  expect(audit.violations).toEqual([]);
  // Every text arrives as itself, in its own element: no text became markup.
  const rendered = elements(audit.document)
    .filter((element) =>
      /\bui-(text|heading)\b/.test(element.attrs.find((attr) => attr.name === 'class')?.value ?? ''),
    )
    .map(textOf);
  expect(rendered).toEqual(shownTexts(document.root));
}

describe('properties', () => {
  it(
    'random valid documents validate, match the JSON Schema, and render inside the allow-lists',
    () => {
      const matchesJsonSchema = new Ajv2020({ strict: false }).compile(UI_DOCUMENT_JSON_SCHEMA);
      fc.assert(
        fc.property(documentArbitrary, (document) => {
          expect(validateDocument(document)).toEqual({ ok: true, value: document });
          expect(matchesJsonSchema(document)).toBe(true);
          expectRendersSafely(document);
        }),
        params(300),
      );
    },
    TIMEOUT,
  );

  it(
    'applyPatch never throws; what it returns validates, renders safely and differs exactly when diffUi says so; it never changes its inputs',
    () => {
      let applied = 0;
      let refused = 0;
      fc.assert(
        fc.property(
          documentArbitrary.chain((document) => fc.tuple(fc.constant(document), patchArbitrary(document))),
          ([document, patch]) => {
            const before = JSON.stringify([document, patch]);
            const result = applyPatch(document, patch);
            expect(JSON.stringify([document, patch])).toBe(before);
            if (!result.ok) {
              refused += 1;
              expect(result.problems.length).toBeGreaterThan(0);
              for (const problem of result.problems) expect(problem.message).not.toBe('');
              return;
            }
            applied += 1;
            expect(validateDocument(result.document)).toEqual({ ok: true, value: result.document });
            expectRendersSafely(result.document);
            // The diff is empty exactly when the patch left the document as it was.
            expect(diffUi(document, result.document).changes.length === 0).toBe(
              canonical(document) === canonical(result.document),
            );
          },
        ),
        params(400),
      );
      // Both outcomes were exercised: the property is not vacuous on either side.
      expect(applied).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'diffUi of a document with itself (or a copy) is empty',
    () => {
      fc.assert(
        fc.property(documentArbitrary, (document) => {
          expect(diffUi(document, document)).toEqual({ changes: [], summary: 'no changes' });
          expect(diffUi(document, structuredClone(document))).toEqual({ changes: [], summary: 'no changes' });
        }),
        params(200),
      );
    },
    TIMEOUT,
  );

  it(
    'diffUi after one applied set names exactly that change (nothing when the value was already so)',
    () => {
      fc.assert(
        fc.property(documentWithSetArbitrary, ({ document, slot, prop, value }) => {
          const result = applyPatch(document, { ops: [{ op: 'set', target: slot.id, prop, value }] });
          if (!result.ok) throw new Error(`a valid set was refused: ${JSON.stringify(result.problems)}`);
          const old = (slot.node as unknown as Record<string, unknown>)[prop] ?? null;
          const diff = diffUi(document, result.document);
          if (old === value) {
            expect(diff).toEqual({ changes: [], summary: 'no changes' });
            return;
          }
          expect(diff).toEqual({
            changes: [
              {
                kind: 'changed',
                key: slot.id,
                id: slot.id,
                type: slot.node.type,
                path: slot.path,
                prop,
                before: old,
                after: value,
              },
            ],
            summary: '1 changed',
          });
        }),
        params(300),
      );
    },
    TIMEOUT,
  );
});
