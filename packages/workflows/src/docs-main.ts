/**
 * `npm run docs:workflows`: writes each built-in's diagram into its page of `docs/workflows/`
 * (see `docs-pages.ts`), creating missing pages, and says what it did.
 */
import { DOCS_COMMAND, writeWorkflowPages } from './docs-pages.js';

const written = await writeWorkflowPages();
const report = [
  ...written.created.map((file) => `created docs/workflows/${file}`),
  ...written.updated.map((file) => `updated the diagram of docs/workflows/${file}`),
];
process.stdout.write(
  report.length === 0
    ? `${DOCS_COMMAND}: every page is up to date (${written.unchanged.length})\n`
    : `${report.join('\n')}\n`,
);
