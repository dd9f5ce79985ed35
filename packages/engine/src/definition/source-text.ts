/**
 * Reading workflow and fixtures files (YAML or JSON text) into plain data, with syntax errors as
 * problems.
 */
import { LineCounter, parseDocument, visit } from 'yaml';
import type { Problem } from '../errors.js';

/** The result of {@link parseSourceText}. */
export type SourceTextResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: Problem[] };

/** Anchors may be reused at most this often, which defuses "billion laughs" documents. */
const MAX_ALIAS_COUNT = 1000;

/** How a text is read: strict JSON, or YAML (which reads JSON too). */
export type SourceFormat = 'yaml' | 'json';

/**
 * Parses a file's text into plain data: strict JSON when `format` is `json` (by default, when
 * `fileName` ends with `.json`), otherwise one YAML document. Every syntax error becomes a problem
 * whose path is `fileName:line:column` and whose message is the parser's; the value is `null` for
 * an empty YAML document. Never throws.
 */
export function parseSourceText(text: string, fileName: string, format?: SourceFormat): SourceTextResult {
  const json = format === undefined ? fileName.toLowerCase().endsWith('.json') : format === 'json';
  if (!json) return parseYaml(text, fileName);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // JSON.parse says what is wrong but not always where: the YAML parser (a superset of JSON)
    // usually finds the same mistake with its line and column.
    const located = parseYaml(text, fileName);
    if (!located.ok) return located;
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    return {
      ok: false,
      problems: [{ path: jsonErrorPath(text, fileName, message), message: `invalid JSON: ${message}` }],
    };
  }
}

/** `fileName:line:column` when a JSON.parse message names a position (newer Node), else `fileName`. */
function jsonErrorPath(text: string, fileName: string, message: string): string {
  const match = /at position (\d+)/.exec(message);
  if (match === null) return fileName;
  const lines = text.slice(0, Number(match[1])).split('\n');
  return `${fileName}:${lines.length}:${lines[lines.length - 1]!.length + 1}`;
}

function parseYaml(text: string, fileName: string): SourceTextResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    // 'error' keeps warnings off the console; 'silent' would also drop the multiple-documents error.
    logLevel: 'error',
  });
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${fileName}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: where(error.pos[0]),
        message:
          error.code === 'MULTIPLE_DOCS'
            ? 'the file holds more than one YAML document; remove the extra "---" separator'
            : error.message,
      })),
    };
  }
  const aliasProblems: Problem[] = [];
  visit(document, {
    Alias(_key, node) {
      const start = node.range?.[0] ?? 0;
      const source = node.resolve(document);
      if (source === undefined) {
        aliasProblems.push({
          path: where(start),
          message: `unknown alias "*${node.source}" (define the anchor "&${node.source}" before using it)`,
        });
      } else if (source.range && source.range[0] <= start && start < source.range[2]) {
        // Data that contains itself has no JSON form.
        aliasProblems.push({
          path: where(start),
          message: `alias "*${node.source}" refers to a value that contains it`,
        });
      }
    },
  });
  if (aliasProblems.length > 0) return { ok: false, problems: aliasProblems };
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    // Excessive alias use surfaces only while converting.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: where(0), message }] };
  }
}
