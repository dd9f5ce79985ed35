/**
 * The run page as a person uses it, for the end-to-end tests: find a phase's node by what a
 * screen reader reads, open a phase, read a downloaded zip.
 */
import { createWriteStream } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import yauzl from 'yauzl';
import { SEE_MS } from './e2e-harness.js';

/**
 * Waits for the graph node of a phase to show `status`, by its accessible name (`spec: Waiting
 * for you, 1 attempt · gate`); on a timeout the error shows the graph as a screen reader reads it.
 */
export async function seePhase(page: Page, phase: string, status: string, timeout = SEE_MS): Promise<void> {
  // Chromium puts a space around each of the node's flex items: `spec : Waiting for you , …`.
  const node = page.getByRole('button', { name: new RegExp(`^${phase} ?: ${status} ?,`) });
  try {
    await node.waitFor({ timeout });
  } catch (error) {
    const graph = await page
      .getByLabel('Phases of the run')
      .ariaSnapshot()
      .catch(() => '(no graph)');
    throw new Error(`${phase} never showed "${status}"; the graph reads:\n${graph}`, { cause: error });
  }
}

/** Clicks a phase's node in the graph and waits for its panel. */
export async function openPhase(page: Page, phase: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${phase} ?:`) }).click();
  await page.getByRole('heading', { name: phase, level: 2 }).waitFor({ timeout: SEE_MS });
}

/** The panel's tab `name`, selected. */
export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.getByRole('tab', { name, exact: true, selected: true }).waitFor({ timeout: SEE_MS });
}

/** Saves a download and answers the names and contents of the zip's entries. */
export async function readZip(download: Download, file: string): Promise<Map<string, string>> {
  const stream = await download.createReadStream();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    stream.pipe(out).on('finish', resolve).on('error', reject);
    stream.on('error', reject);
  });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const entries = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (error, content) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        content.on('data', (chunk: Buffer) => chunks.push(chunk));
        content.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
        content.on('error', reject);
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return entries;
}
