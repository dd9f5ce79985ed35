/**
 * A person's first day with Baton, in a real browser against a real `baton serve`: set up the
 * owner from the console's setup link, start the `feature` workflow (offline) from the dashboard,
 * watch its phases change status live; at the spec gate read the output and the advisory
 * reviewer's recommendation, request changes and see the new version's diff; edit the plan (a new
 * version); approve the other gates with the keyboard alone; see the run complete, browse the
 * code it wrote and its review, and download it as a zip. Any console error, uncaught error or
 * unexpected failed request fails it, and each page state it visits passes axe-core without a
 * serious or critical violation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import { openPhase, openTab, readZip, seePhase } from './run-page.js';

const SETUP_TOKEN = 'web-e2e-setup-token-0123456789';
const EDITED_SUMMARY = 'Edited in the browser: build the API first, then the tests.';

let serve: Serve;
let browser: Browser;
let scratch: string;
beforeAll(async () => {
  serve = await startServe(SETUP_TOKEN);
  browser = await openBrowser();
  scratch = await mkdtemp(path.join(tmpdir(), 'baton-e2e-download-'));
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

/**
 * Signed out, the app asks who we are (401); leaving a page cuts its open streams; a download
 * leaves the page's navigation as aborted (Chromium hands it to the download manager).
 */
function expected(what: string): boolean {
  return (
    what === 'GET /api/auth/me 401' ||
    /^GET \/api\/(events|runs\/[^/]+\/events) failed: net::ERR_ABORTED/.test(what) ||
    /^GET \/api\/runs\/[^/]+\/download failed: net::ERR_ABORTED/.test(what)
  );
}

describe('the web UI', () => {
  it(
    'sets up the owner, runs feature offline, reviews and decides its gates, and downloads the result',
    async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1440, height: 1000 });
      const problems = watchPage(page, expected);
      try {
        await firstDay(page, problems);
      } catch (error) {
        // What the page showed when it failed: a screenshot and the panel as a screen reader reads it.
        await screenshot(page, 'failure').catch(() => undefined);
        const panel = await page
          .locator('.phase-panel')
          .ariaSnapshot()
          .catch(() => '(no panel)');
        throw new Error(`${String(error)}\nThe panel read:\n${panel}\nProblems: ${problems.join('; ')}`, {
          cause: error,
        });
      }
    },
    15 * 60_000,
  );
});

async function firstDay(page: Page, problems: readonly string[]): Promise<void> {
  {
    {
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

      // The live graph: the spec gate waits while plan is still blocked; the panel opens on it,
      // with the advisory reviewer's recommendation and the output (version 1) as a tree.
      await seePhase(page, 'spec', 'Waiting for you');
      await seePhase(page, 'plan', 'Blocked');
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await page.getByRole('heading', { name: 'spec', level: 2 }).waitFor();
      const banner = page.getByRole('region', { name: 'Recommendation: APPROVE' });
      await banner.getByText('recommended by align-spec').waitFor({ timeout: SEE_MS });
      await banner.getByText(/Suggestions \(1\)/).waitFor();
      await page.getByRole('tab', { name: 'Output', selected: true }).waitFor();
      const specTree = page.getByRole('group', { name: 'spec, version 1' });
      await specTree.getByText('"To-do list with sign-in"').first().waitFor({ timeout: SEE_MS });
      await audit('run at the spec gate');
      await screenshot(page, 'run-gate');

      // Request changes: spec runs again with the feedback, and its gate opens on the diff.
      await page.getByRole('button', { name: 'Request changes…' }).click();
      await page.getByLabel('Feedback (what to change)').fill('Say that a browser interface comes later.');
      await page.getByRole('button', { name: 'Send the feedback' }).click();
      await page.getByRole('tab', { name: 'Changes', selected: true }).waitFor({ timeout: SEE_MS });
      const diff = page.getByRole('region', { name: 'Changes in spec from version 1 to 2' });
      await diff.waitFor({ timeout: SEE_MS });
      expect(await diff.locator('tr.diff-added, tr.diff-removed').count()).toBeGreaterThan(0);
      await page.getByRole('region', { name: 'Recommendation: APPROVE' }).waitFor({ timeout: SEE_MS });
      await audit('spec gate with its diff');
      await screenshot(page, 'gate-diff');
      // Any two versions compare: the same version twice says so.
      await page.getByLabel('Compare').selectOption('2');
      await page.getByText('Pick two different versions to compare.').waitFor();

      // Approve the spec with the keyboard alone, from the top of the page.
      await page.locator('body').focus();
      await tabToAndPress(page, 'Approve');
      await seePhase(page, 'spec', 'Completed');

      // The plan's gate: edit the plan, which saves a new version and accepts it.
      await seePhase(page, 'plan', 'Waiting for you');
      await page.getByRole('heading', { name: 'plan', level: 2 }).waitFor();
      await page.getByRole('button', { name: 'Edit…' }).click();
      const editor = page.getByLabel('The output of plan (JSON)');
      const plan = JSON.parse(await editor.inputValue()) as { summary: string };
      await editor.fill('{ "summary": ');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await page.getByText(/This is not valid JSON/).waitFor();
      await editor.fill(JSON.stringify({ ...plan, summary: EDITED_SUMMARY }, null, 2));
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await seePhase(page, 'plan', 'Completed');
      await openPhase(page, 'plan');
      await page
        .getByLabel('Version')
        .getByText('Version 2 · edited by owner@example.com')
        .waitFor({ state: 'attached' });
      await page.getByRole('group', { name: 'plan, version 2' }).getByText(EDITED_SUMMARY).waitFor();
      await page.getByRole('button', { name: 'Close the phase details' }).click();

      // The tests' gate, approved with the keyboard alone.
      await seePhase(page, 'tests', 'Waiting for you');
      await page.getByRole('heading', { name: 'tests', level: 2 }).waitFor();
      await page.locator('body').focus();
      await tabToAndPress(page, 'Approve');
      await seePhase(page, 'tests', 'Completed');

      // The run completes live.
      await page.locator('.run-heading [data-status="completed"]').waitFor({ timeout: SEE_MS });
      expect(page.url()).toBe(runUrl);
      for (const phase of ['implement', 'verdict']) await seePhase(page, phase, 'Completed');
      await audit('completed run');
      await screenshot(page, 'run-completed');

      // The code it wrote, browsable, highlighted; the security review as a checklist; the calls.
      await openPhase(page, 'implement');
      const files = page.getByRole('navigation', { name: 'Files of implement, version 1' });
      await files.waitFor({ timeout: SEE_MS });
      const file = files.getByRole('button', { name: /^package\.json/ });
      await file.click();
      expect(await file.getAttribute('aria-current')).toBe('true');
      await page.locator('pre.code[data-language="json"] code.hljs').waitFor({ timeout: SEE_MS });
      await audit('implement’s files');
      await openPhase(page, 'security-review');
      await openTab(page, 'Review');
      await page.getByRole('heading', { name: /^Checklist: \d+ of \d+ pass$/ }).waitFor();
      await openTab(page, 'Model calls');
      await page
        .getByRole('region', { name: 'Model calls' })
        .getByText('scripted/scripted')
        .first()
        .waitFor();
      await audit('a review and its calls');
      await screenshot(page, 'review');

      // Download the run: a zip laid out as a project, with the edited plan.
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: SEE_MS }),
        page.getByRole('link', { name: 'Save (zip)' }).click(),
      ]);
      const zip = await readZip(download, path.join(scratch, 'run.zip'));
      expect(zip.has('baton-run.json')).toBe(true);
      expect(zip.has('implement/package.json')).toBe(true);
      expect(JSON.parse(zip.get('spec.json') ?? '{}')).toMatchObject({ title: 'To-do list with sign-in' });
      expect(JSON.parse(zip.get('plan.json') ?? '{}')).toMatchObject({ summary: EDITED_SUMMARY });
      expect(JSON.parse(zip.get('baton-run.json') ?? '{}')).toMatchObject({ status: 'completed' });

      // Back on the dashboard, the run reads as completed.
      await page.getByRole('link', { name: '← Runs' }).click();
      await page.getByRole('table').getByText('Completed').waitFor({ timeout: SEE_MS });
      await audit('dashboard with a run');
      await screenshot(page, 'dashboard');

      expect({ problems, a11y }).toEqual({ problems: [], a11y: [] });
    }
  }
}
