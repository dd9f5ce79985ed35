/**
 * What the load reads, built through the API the way a user builds it: the owner account from the
 * preset setup token (`POST /api/auth/setup` → session cookie), an API token made with that session
 * (`POST /api/tokens` → bearer), a 100-phase workflow uploaded (`POST /api/workflows`), runs started
 * (`POST /api/runs`) and completed by the server's in-process workers.
 */
import { chain, type RawWorkflow } from '../workloads.js';

const EMAIL = 'bench@example.com';
const PASSWORD = 'bench password, not a secret';
const COMPLETE_TIMEOUT_MS = 10 * 60_000;

/** Makes the owner with `setupToken` and returns an API token of theirs (`baton_…`). */
export async function ownerToken(url: string, setupToken: string): Promise<string> {
  const setup = await post(url, '/api/auth/setup', { token: setupToken, email: EMAIL, password: PASSWORD });
  const cookie = setup.response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith('baton_session=') && pair !== 'baton_session=');
  if (cookie === undefined) throw new Error('POST /api/auth/setup set no session cookie');
  const token = await post(url, '/api/tokens', { name: 'bench' }, { cookie });
  const value = (token.body as { token?: unknown }).token;
  if (typeof value !== 'string') throw new Error('POST /api/tokens answered no token');
  return value;
}

/**
 * Uploads a chain of `phases` scripted agent phases that answer `ok` at once (the fixtures inline,
 * as the server wants them), and returns the workflow's id.
 */
export async function uploadChain(url: string, token: string, phases: number): Promise<string> {
  const raw: RawWorkflow = chain(phases).raw;
  const body = {
    id: raw.id,
    description: `${phases} scripted phases in a chain (npm run bench:server)`,
    fixtures: Object.fromEntries(raw.phases.map((p) => [p.id, { output: 'ok' }])),
    phases: raw.phases,
  };
  return uploadWorkflow(url, token, body);
}

/** Uploads a workflow (`POST /api/workflows`: the definition as JSON, fixtures inline); its id. */
export async function uploadWorkflow(
  url: string,
  token: string,
  body: { readonly id: string; readonly [field: string]: unknown },
): Promise<string> {
  await post(url, '/api/workflows', body, { authorization: `Bearer ${token}` });
  return body.id;
}

/** Starts `count` runs of `workflow`, returns their ids (in the order started). */
export async function startRuns(
  url: string,
  token: string,
  workflow: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { body } = await post(url, '/api/runs', { workflow }, { authorization: `Bearer ${token}` });
    const id = (body as { id?: unknown }).id;
    if (typeof id !== 'string') throw new Error('POST /api/runs answered no id');
    ids.push(id);
  }
  return ids;
}

/**
 * Waits until every run in `ids` completed (polling the run list); fails when one ends otherwise
 * or they take longer than ten minutes. Returns the time waited, in ms.
 */
export async function waitCompleted(url: string, token: string, ids: readonly string[]): Promise<number> {
  const started = performance.now();
  const waiting = new Set(ids);
  for (;;) {
    let cursor: string | undefined;
    do {
      const query = `?limit=200${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = (await get(url, `/api/runs${query}`, token)) as {
        runs: { id: string; status: string }[];
        nextCursor?: string;
      };
      for (const run of page.runs) {
        if (!waiting.has(run.id)) continue;
        if (run.status === 'completed') waiting.delete(run.id);
        else if (run.status !== 'running')
          throw new Error(`bench run ${run.id} is ${run.status}, not completed`);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined && waiting.size > 0);
    if (waiting.size === 0) return performance.now() - started;
    if (performance.now() - started > COMPLETE_TIMEOUT_MS)
      throw new Error(`${waiting.size} bench runs did not complete within 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GETs `path` with the bearer token; fails unless 200. */
export async function get(url: string, path: string, token: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

async function post(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ response: Response; body: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return { response, body: JSON.parse(text) as unknown };
}
