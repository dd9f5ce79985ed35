/**
 * The run page against a real `baton serve`, in Chromium: the timeline equals the stored log
 * after a reload and after the connection drops mid-run (the run moves on meanwhile), its
 * filters, the zip download; and at a phone's width (390 px) a person approves a gate. Any
 * console error, uncaught error or unexpected failed request fails a test, and each page passes
 * axe-core without a serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  accessibilityProblems,
  openBrowser,
  screenshot,
  SEE_MS,
  startServe,
  watchPage,
  type Browser,
  type Serve,
} from './e2e-harness.js';
import {
  cuttableLink,
  readTimeline,
  seePhase,
  setUpOwner,
  startRun,
  storedLog,
  type CuttableLink,
} from './run-page.e2e-support.js';

const SETUP_TOKEN = 'web-e2e-live-setup-token-0123456789';

let serve: Serve;
let browser: Browser;
let link: CuttableLink;
beforeAll(async () => {
  serve = await startServe(SETUP_TOKEN);
  browser = await openBrowser();
  link = await cuttableLink(serve.url);
  await setUpOwner(browser.context, serve.url, SETUP_TOKEN);
});
afterAll(async () => {
  await browser?.close();
  await link?.close();
  await serve?.stop();
});

/** Leaving a page cuts its streams. */
function expected(what: string): boolean {
  return /^GET \/api\/(events|runs\/[^/]+\/events) failed: net::ERR_ABORTED/.test(what);
}

/** …and once the link is cut, a read in flight breaks off with it. */
let cut = false;
function expectedOnceCut(what: string): boolean {
  return expected(what) || (cut && /^GET \/api\/\S+ failed: net::ERR_/.test(what));
}

/** Waits until the timeline counts `count` events, then reads it whole. */
async function timelineOf(page: Page, count: number) {
  await page
    .getByRole('status')
    .filter({ hasText: new RegExp(`^${count} events$`) })
    .waitFor({ timeout: SEE_MS });
  return readTimeline(page);
}

async function openRun(page: Page, base: string, runId: string): Promise<void> {
  await page.goto(`${base}/runs/${runId}`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: SEE_MS });
}

describe('the run page', () => {
  it(
    'keeps the timeline equal to the stored log across a reload and a dropped connection mid-run',
    async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      const problems = watchPage(page, expectedOnceCut);
      const a11y: string[] = [];
      const audit = async (name: string) =>
        a11y.push(...(await accessibilityProblems(page)).map((p) => `${name}: ${p}`));
      const runId = await startRun(browser.context, serve.url, 'feature');

      await openRun(page, link.url, runId);
      await seePhase(page, 'spec', 'Waiting for you');
      let log = await storedLog(browser.context, serve.url, runId);
      expect(await timelineOf(page, log.length)).toEqual(log);
      await audit('run at the spec gate');

      // A reload rebuilds the page from the server: the same log, nothing twice.
      await page.reload();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: SEE_MS });
      await seePhase(page, 'spec', 'Waiting for you');
      expect(await timelineOf(page, log.length)).toEqual(log);

      // The connection drops; meanwhile the run moves on (spec approved elsewhere).
      cut = true;
      link.drop();
      await page
        .getByRole('status')
        .filter({ hasText: /Reconnecting/ })
        .waitFor({ timeout: SEE_MS });
      const approved = await browser.context.request.post(
        `${serve.url}/api/runs/${runId}/phases/spec/decision`,
        { data: { decision: 'approve' } },
      );
      expect(approved.status()).toBe(200);
      link.restore();

      // Back online, the page catches up: spec done, plan at its gate, the log whole again.
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: SEE_MS });
      await seePhase(page, 'spec', 'Completed');
      await seePhase(page, 'plan', 'Waiting for you');
      log = await storedLog(browser.context, serve.url, runId);
      expect(log.map((event) => event.type)).toContain('human_decision');
      expect(await timelineOf(page, log.length)).toEqual(log);
      await screenshot(page, 'run-live');
      await page.getByRole('region', { name: 'Run events' }).scrollIntoViewIfNeeded();
      await screenshot(page, 'timeline', page.getByRole('region', { name: 'Timeline' }));

      // Filtered to one phase and one event type, the list shows just those.
      await page.getByLabel('Phase', { exact: true }).selectOption('spec');
      await page.getByLabel('Event', { exact: true }).selectOption('phase_started');
      const started = log.filter((event) => event.type === 'phase_started');
      await page
        .getByRole('status')
        .filter({ hasText: /^\d+ of \d+ events$/ })
        .waitFor();
      const shown = await readTimeline(page);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.length).toBeLessThan(started.length + 1);
      expect(shown.every((event) => event.type === 'phase_started')).toBe(true);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await timelineOf(page, log.length);

      // Save: the run's zip.
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: SEE_MS }),
        page.getByRole('link', { name: 'Save (zip)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.zip$/);
      await audit('run at the plan gate');

      expect({ problems, a11y }).toEqual({ problems: [], a11y: [] });
    },
    10 * 60_000,
  );

  it(
    'approves a gate on a 390 px wide screen',
    async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      const problems = watchPage(page, expected);
      const runId = await startRun(browser.context, serve.url, 'feature');
      await openRun(page, serve.url, runId);
      await seePhase(page, 'spec', 'Waiting for you');
      const a11y = await accessibilityProblems(page);
      await screenshot(page, 'run-narrow');

      const approve = page.getByRole('button', { name: 'Approve spec' });
      await approve.scrollIntoViewIfNeeded();
      await approve.click();
      await seePhase(page, 'spec', 'Completed');
      await seePhase(page, 'plan', 'Waiting for you');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      expect({ problems, a11y }).toEqual({ problems: [], a11y: [] });
    },
    10 * 60_000,
  );
});
