/**
 * What the run page's end-to-end tests share beyond the harness: the owner set up and signed in
 * through the API (the first test covers the setup page itself), a run started through the API,
 * the stored log read back, the timeline read as a person scrolls it, a phase's node awaited, and
 * a link to the server whose connections can be cut.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { SEE_MS } from './e2e-harness.js';

/** Sets up the owner with `token` and leaves `context` signed in as them. */
export async function setUpOwner(context: BrowserContext, url: string, token: string): Promise<void> {
  const response = await context.request.post(`${url}/api/auth/setup`, {
    data: { token, email: 'owner@example.com', password: 'a long enough password' },
  });
  if (!response.ok()) throw new Error(`setup answered ${response.status()}: ${await response.text()}`);
}

/** Starts a run of `workflow` (offline) and answers its id. */
export async function startRun(context: BrowserContext, url: string, workflow: string): Promise<string> {
  const response = await context.request.post(`${url}/api/runs`, { data: { workflow } });
  if (!response.ok())
    throw new Error(`POST /api/runs answered ${response.status()}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** One event as the tests compare them: its seq and type. */
export interface LoggedEvent {
  readonly seq: number;
  readonly type: string;
}

/** The run's stored log, `GET /api/runs/:id/events`, every page of it. */
export async function storedLog(context: BrowserContext, url: string, runId: string): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (;;) {
    const after = events.at(-1)?.seq ?? 0;
    const response = await context.request.get(`${url}/api/runs/${runId}/events?after=${after}&limit=5000`);
    const page = (await response.json()) as { events: LoggedEvent[]; more: boolean };
    events.push(...page.events.map(({ seq, type }) => ({ seq, type })));
    if (!page.more || page.events.length === 0) return events;
  }
}

/**
 * The timeline's list as a person reads it: scrolled from top to bottom, a screenful at a time,
 * each row drawn awaited before it is read (the list draws only the rows in view).
 */
export async function readTimeline(page: Page): Promise<LoggedEvent[]> {
  const region = page.getByRole('region', { name: 'Run events' });
  const count = Number(await region.getByRole('table').getAttribute('aria-rowcount')) - 1;
  const seen = new Map<number, LoggedEvent>();
  const rowHeight = await region
    .locator('[role="row"][data-seq]')
    .first()
    .evaluate((row) => row.clientHeight);
  let index = 0;
  while (index < count) {
    await region.evaluate((element, top) => (element.scrollTop = top), index * rowHeight);
    await region.locator(`[aria-rowindex="${index + 2}"]`).waitFor({ timeout: SEE_MS });
    const rows = await region.locator('[role="row"][data-seq]').evaluateAll((elements) =>
      elements.map((element) => ({
        index: Number(element.getAttribute('aria-rowindex')) - 2,
        seq: Number(element.getAttribute('data-seq')),
        type: element.getAttribute('data-type') ?? '',
      })),
    );
    for (const row of rows) seen.set(row.index, { seq: row.seq, type: row.type });
    while (seen.has(index)) index++;
  }
  return [...seen.entries()].sort(([a], [b]) => a - b).map(([, event]) => event);
}

/**
 * Waits for the graph node of a phase to show `status`, by its accessible name (`spec: Waiting
 * for you, 1 attempt · gate`); on a timeout the error shows the graph as a screen reader reads it.
 */
export async function seePhase(page: Page, phase: string, status: string): Promise<void> {
  const name = new RegExp(`^(⚑ )?${phase.replace(/[[\]]/g, '\\$&')} ?: ${status} ?,`);
  try {
    await page.getByRole('button', { name }).waitFor({ timeout: SEE_MS });
  } catch (error) {
    const graph = await page
      .getByLabel('Phases of the run')
      .ariaSnapshot()
      .catch(() => '(no graph)');
    throw new Error(`${phase} never showed "${status}"; the graph reads:\n${graph}`, { cause: error });
  }
}

/** A TCP relay in front of the server whose connections a test can cut, as a network would. */
export interface CuttableLink {
  /** The server's address through the relay (same host, so the session cookie applies). */
  readonly url: string;
  /** Cuts every open connection; new ones wait, unanswered, until `restore`. */
  drop(): void;
  /** Lets the waiting connections and new ones through again. */
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableLink(target: string): Promise<CuttableLink> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let waiting: (() => void)[] = [];
  let down = false;
  const relay = (client: Socket) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  };
  const server = createServer((client) => {
    client.on('error', () => client.destroy());
    if (down) waiting.push(() => relay(client));
    else relay(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    drop() {
      down = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      down = false;
      const held = waiting;
      waiting = [];
      for (const start of held) start();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
