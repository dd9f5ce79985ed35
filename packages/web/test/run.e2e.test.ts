/**
 * A person's first day with Baton, in a real browser against a real `baton serve`: set up the
 * owner from the console's setup link, start the `feature` workflow (offline) from the dashboard,
 * watch its phases change status live, approve its three gates with the keyboard alone, and see
 * the run complete. Any console error, uncaught error or unexpected failed request fails it, and
 * each page it visits passes axe-core without a serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  accessibilityProblems,
  openBrowser,
  screenshot,
  SEE_MS,
  startServe,
  tabToAndPress,
  watchPage,
  type Browser,
  type Serve,
} from './e2e-harness.js';

const SETUP_TOKEN = 'web-e2e-setup-token-0123456789';
const GATES = ['spec', 'plan', 'tests'] as const;

let serve: Serve;
let browser: Browser;
beforeAll(async () => {
  serve = await startServe(SETUP_TOKEN);
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** Signed out, the app asks who we are (401); leaving a page cuts its open streams. */
function expected(what: string): boolean {
  return (
    what === 'GET /api/auth/me 401' ||
    /^GET \/api\/(events|runs\/[^/]+\/events) failed: net::ERR_ABORTED/.test(what)
  );
}

/**
 * Waits for the graph node of a phase to show `status`, by its accessible name (`spec: Waiting
 * for you, 1 attempt · gate`); on a timeout the error shows the graph as a screen reader reads it.
 */
async function seePhase(page: Page, phase: string, status: string, timeout = SEE_MS): Promise<void> {
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

describe('the web UI', () => {
  it(
    'sets up the owner, runs feature offline with live statuses, and approves its gates by keyboard',
    async () => {
      const page = await browser.context.newPage();
      const problems = watchPage(page, expected);
      const a11y: string[] = [];
      const audit = async (name: string) =>
        a11y.push(...(await accessibilityProblems(page)).map((p) => `${name}: ${p}`));

      // The setup link the console printed lands on a form.
      await page.goto(`${serve.url}/setup?token=${SETUP_TOKEN}`);
      await page.getByRole('heading', { name: 'Set up Baton' }).waitFor();
      expect(page.url()).toBe(`${serve.url}/setup`);
      await audit('setup');
      await page.getByLabel('Email').fill('owner@example.com');
      await page.getByLabel(/^Password/).fill('a long enough password');
      await page.getByRole('button', { name: 'Create the owner account' }).click();

      // The dashboard, empty, then a run of `feature` started from it.
      await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
      await page.getByText('No runs yet').waitFor();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await audit('dashboard');
      await page.getByLabel('Workflow', { exact: true }).selectOption('feature');
      await page.getByRole('button', { name: 'Start the run' }).click();
      await page.waitForURL(/\/runs\/[^/]+$/, { timeout: SEE_MS });
      const runUrl = page.url();

      // The live graph: the spec gate waits while plan is still blocked.
      await seePhase(page, 'spec', 'Waiting for you');
      await seePhase(page, 'plan', 'Blocked');
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await page.getByRole('heading', { name: 'spec', level: 2 }).waitFor();
      await audit('run at the spec gate');
      await screenshot(page, 'run-gate');

      for (const gate of GATES) {
        await seePhase(page, gate, 'Waiting for you');
        await page.getByRole('heading', { name: gate, level: 2 }).waitFor();
        // From the top of the page, with the keyboard alone.
        await page.locator('body').focus();
        await tabToAndPress(page, 'Approve');
        // Live: the node moves on without a reload.
        await seePhase(page, gate, 'Completed');
      }
      await page.locator('.run-heading [data-status="completed"]').waitFor({ timeout: SEE_MS });
      expect(page.url()).toBe(runUrl);
      for (const phase of ['implement', 'verdict']) await seePhase(page, phase, 'Completed');
      await audit('completed run');
      await screenshot(page, 'run-completed');

      // Back on the dashboard, the run reads as completed.
      await page.getByRole('link', { name: '← Runs' }).click();
      await page.getByRole('table').getByText('Completed').waitFor({ timeout: SEE_MS });
      await audit('dashboard with a run');
      await screenshot(page, 'dashboard');

      expect({ problems, a11y }).toEqual({ problems: [], a11y: [] });
    },
    15 * 60_000,
  );
});
