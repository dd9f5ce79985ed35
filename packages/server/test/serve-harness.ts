/**
 * `baton serve` in this process for the tests of what its workers do (`startServer` with workers
 * and the runtime's default handlers: tool phases are real processes), on a fresh home (the
 * embedded database) or a PostgreSQL database of its own, reached over HTTP with the owner's API
 * token — made through the setup link, as a person would.
 */
import type { RunView } from '../src/schemas/run.js';
import type { StartServerOptions } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '@baton/store/testing';
import {
  createToken,
  postJson,
  sessionCookie,
  startHomeServer,
  type HomeServer,
  type TestBackend,
} from '../src/testing/index.js';

/** An answer: its status and parsed JSON body. */
interface ServeAnswer {
  readonly status: number;
  readonly body: RunView & { readonly error?: { readonly code: string; readonly message: string } };
}

export interface ServeHarness {
  readonly server: HomeServer;
  /** A request as the owner (JSON body, parsed JSON answer). */
  call(method: string, path: string, body?: unknown): Promise<ServeAnswer>;
  /** A GET as the owner, its answer as it came (a content that is not JSON, a zip). */
  get(path: string): Promise<Response>;
  /** Uploads a workflow (YAML); fails unless stored. */
  upload(yaml: string): Promise<void>;
  /** Starts a run and expects 201. */
  start(workflow: string, inputs?: Record<string, unknown>): Promise<RunView>;
  close(): Promise<void>;
}

/** Polls `check` every 20 ms until it answers a value other than undefined; fails after a minute. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills the process group `pid` leads, if any is left (a test's cleanup). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** Makes the owner through the setup link and an API token of theirs. */
async function ownerToken(server: HomeServer): Promise<string> {
  const setupUrl = server.server.setupUrl;
  if (setupUrl === undefined) throw new Error('the server printed no setup link');
  const token = new URL(setupUrl).searchParams.get('token')!;
  const setup = await postJson(server.server, '/api/auth/setup', {
    token,
    email: 'owner@example.com',
    password: 'correct horse battery staple',
  });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
  const cookie = sessionCookie(setup);
  if (cookie === undefined) throw new Error('setup set no session cookie');
  return (await createToken(server.server, { cookie })).token;
}

/** Starts `baton serve` with workers on `backend`. */
export async function startServe(
  backend: TestBackend,
  options: Partial<StartServerOptions>,
): Promise<ServeHarness> {
  let database: TestDatabase | undefined;
  if (backend.kind === 'postgres') database = await createTestDatabase(backend.adminUrl, 'baton_serve');
  const server = await startHomeServer({
    workers: true,
    // Its workflows have tool phases and come over the network (with a token).
    allowHostTools: true,
    ...(database === undefined ? {} : { databaseUrl: database.url }),
    ...options,
  });
  const authorization = `Bearer ${await ownerToken(server)}`;
  const call = async (method: string, path: string, body?: unknown): Promise<ServeAnswer> => {
    const response = await server.http(method, path, {
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as ServeAnswer['body'],
    };
  };
  return {
    server,
    call,
    get: (path) => server.http('GET', path, { headers: { authorization } }),
    async upload(yaml) {
      const response = await server.http('POST', '/api/workflows', {
        headers: { authorization, 'content-type': 'application/yaml' },
        body: yaml,
      });
      if (response.status !== 201)
        throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    },
    async start(workflow, inputs) {
      const answer = await call('POST', '/api/runs', {
        workflow,
        ...(inputs === undefined ? {} : { inputs }),
      });
      if (answer.status !== 201)
        throw new Error(`POST /api/runs answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    async close() {
      await server.close();
      await database?.drop();
    },
  };
}
