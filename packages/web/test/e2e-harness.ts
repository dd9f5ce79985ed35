/**
 * What the web UI's end-to-end tests share: a real `baton serve` on a temporary embedded home
 * (offline: no provider key reaches it), Debian's Chromium driven by playwright-core, a watch on
 * every page for console errors, uncaught errors and failed requests, and axe-core on each page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BATON_BIN = path.join(ROOT, 'packages', 'cli', 'bin', 'baton.js');
const WEB_DIST = path.join(ROOT, 'packages', 'web', 'dist');
/** Where the screenshots go (`BATON_SCREENSHOTS_DIR`, else `packages/web/test-results`). */
const SCREENSHOTS = process.env.BATON_SCREENSHOTS_DIR ?? path.join(ROOT, 'packages', 'web', 'test-results');

/** The longest wait for one thing a person would see (the machine may be loaded). */
export const SEE_MS = 120_000;

export interface Serve {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** `baton serve --port 0` on a new home, offline, with `setupToken` preset; resolves once it listens. */
export async function startServe(setupToken: string): Promise<Serve> {
  if (!existsSync(path.join(WEB_DIST, 'index.html')))
    throw new Error('the web UI is not built: run `npm run build` first (npm run test:e2e does)');
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-e2e-'));
  const home = path.join(dir, '.baton');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/API_KEY|_BASE_URL$/.test(key)) delete env[key];
  const child: ChildProcess = spawn(process.execPath, [BATON_BIN, 'serve', '--port', '0'], {
    cwd: dir,
    env: {
      ...env,
      BATON_HOME: home,
      BATON_SETUP_TOKEN: setupToken,
      BATON_LOG_LEVEL: 'warn',
      BATON_WEB_DIR: WEB_DIST,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGKILL');
      await closed;
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  const deadline = Date.now() + SEE_MS;
  for (;;) {
    const info = await readFile(path.join(home, 'server.json'), 'utf8').catch(() => '');
    if (info !== '') return { url: (JSON.parse(info) as { url: string }).url, output: () => text, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`baton serve did not start:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile, headless. */
export async function openBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'baton-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/**
 * Records what must not happen on `page`: a console error, an uncaught error, a request that
 * failed or was refused — except the ones `expected` names (`GET /api/auth/me 401` before
 * signing in; streams cut when the page navigates away).
 */
export function watchPage(page: Page, expected: (what: string) => boolean): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    // Chromium logs every refused request as "Failed to load resource": the response handler
    // below judges those, knowing which ones are expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource:'))
      problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const what = `${request.method()} ${new URL(request.url()).pathname} failed: ${request.failure()?.errorText ?? ''}`;
    if (!expected(what)) problems.push(what);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const what = `${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`;
    if (!expected(what)) problems.push(what);
  });
  return problems;
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy does not apply.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const found = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return found.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.targets.join(', ')})`,
    );
}

/** Saves a screenshot of the page (or of `part` of it) as `name`.png and answers its path. */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if (part === undefined) await page.screenshot({ path: file, fullPage: false });
  else await part.screenshot({ path: file });
  return file;
}

/**
 * Presses Tab until `accessibleName` (a button's) has the focus, then Enter: a person working the
 * page with the keyboard alone. Fails after `max` presses.
 */
export async function tabToAndPress(page: Page, accessibleName: string, max = 80): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return element instanceof HTMLButtonElement ? (element.textContent ?? '').trim() : null;
    });
    if (focused === accessibleName) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`no button "${accessibleName}" reached with ${max} presses of Tab`);
}
