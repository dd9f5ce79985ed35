/**
 * Previews of UI artifacts for `baton show`: an output that is a UI document of
 * `@baton/ui-schema`, or holds one as `uiSchema` (the `ui-variants` workflow's parent versions and
 * variants), is rendered to inert static HTML (`renderHtml`: no script, a strict
 * Content-Security-Policy) and written to a file a person opens in a browser.
 *
 * The files go to `$TMPDIR/baton-previews/<run>/<phase>.v<version>.html` (a read command leaves
 * the home alone, and works the same through a server). The package is loaded only when an
 * output looks like one, so `baton show` of other runs pays nothing for it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JsonValue } from '@baton/engine';

/** Where the previews of `runId` are written. */
function previewDir(runId: string): string {
  return path.join(os.tmpdir(), 'baton-previews', runId);
}

/** The UI document an output is or holds (not yet validated), or undefined. */
function candidateDocument(output: JsonValue | null): JsonValue | undefined {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return undefined;
  if (output.version === 1 && typeof output.root === 'object' && typeof output.tokens === 'object')
    return output;
  const held = output.uiSchema;
  return typeof held === 'object' && held !== null ? held : undefined;
}

/**
 * Writes the preview of `output` (phase `phaseId`'s version `version` of run `runId`) when it is
 * or holds a valid UI document, and returns the file's path; undefined otherwise. A document
 * that does not validate gets no preview (its phase's checks say why).
 */
export async function writePreview(
  runId: string,
  phaseId: string,
  version: number,
  output: JsonValue | null,
): Promise<string | undefined> {
  const candidate = candidateDocument(output);
  if (candidate === undefined) return undefined;
  const { renderHtml, validateDocument } = await import('@baton/ui-schema');
  const checked = validateDocument(candidate);
  if (!checked.ok) return undefined;
  const dir = previewDir(runId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${phaseId}.v${version}.html`);
  await writeFile(file, renderHtml(checked.value, { title: `${runId} · ${phaseId} v${version}` }));
  return file;
}
