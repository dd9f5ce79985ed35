/**
 * `baton serve` as a real child process (`node packages/cli/bin/baton.js serve`) on a temporary
 * home — the embedded database, or a PostgreSQL database given by URL — reached over HTTP with
 * the owner's API token (setup with a preset token, then `POST /api/tokens`). Agents run on the
 * offline `scripted` model: no provider key is set. For tests that kill a server (SIGKILL) or run
 * two on one database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BATON_BIN = fileURLToPath(new URL('../../cli/bin/baton.js', import.meta.url));
const SETUP_TOKEN = 'run-stream-setup-token-0123456789abcdef';

export interface SpawnedServe {
  readonly url: string;
  readonly child: ChildProcess;
  readonly home: string;
  /** Stops it (SIGKILL) and removes its home. */
  kill(): Promise<void>;
}

/** Starts `baton serve --port 0` on a fresh home; `databaseUrl` selects PostgreSQL. */
export async function spawnServe(
  options: { readonly databaseUrl?: string; readonly workers?: boolean } = {},
): Promise<SpawnedServe> {
  const home = await mkdtemp(path.join(tmpdir(), 'baton-stream-'));
  const env: NodeJS.ProcessEnv = {};
  // No provider key nor endpoint: agents without a model answer from fixtures (offline).
  for (const [name, value] of Object.entries(process.env))
    if (!/(_API_KEY|_BASE_URL)$/.test(name) && !name.startsWith('BATON_')) env[name] = value;
  const args = [
    'serve',
    '--port',
    '0',
    '--allow-host-tools',
    ...(options.workers === false ? ['--no-workers'] : []),
  ];
  const child = spawn(process.execPath, [BATON_BIN, ...args], {
    cwd: home,
    env: {
      ...env,
      BATON_HOME: path.join(home, '.baton'),
      BATON_USER: 'tester',
      BATON_LOG_LEVEL: 'warn',
      BATON_SETUP_TOKEN: SETUP_TOKEN,
      NO_COLOR: '1',
      ...(options.databaseUrl === undefined ? {} : { BATON_DATABASE_URL: options.databaseUrl }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baton serve did not start:\n${stderr}`)), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const found = /Baton is running at (http:\/\/\S+)/.exec(stderr);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton serve exited (${code}):\n${stderr}`));
    });
  });
  child.stdout.resume();
  return {
    url,
    child,
    home,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** The owner's API token on a fresh server (the first server of a database makes the owner). */
export async function ownerToken(url: string): Promise<string> {
  const setup = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: SETUP_TOKEN,
      email: 'owner@example.com',
      password: 'correct horse battery staple',
    }),
  });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name: 'stream tests' }),
  });
  if (created.status !== 201) throw new Error(`POST /api/tokens answered ${created.status}`);
  return ((await created.json()) as { token: string }).token;
}
