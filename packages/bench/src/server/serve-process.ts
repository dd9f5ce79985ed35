/**
 * `baton serve` as a child process — the production entry point (`node packages/cli/bin/baton.js
 * serve`, what `npm start` runs), so the served process is measured as a user runs it and the load
 * generator in this process does not share its event loop. Its log (one JSON line per request) goes
 * to a file, as it would to a collector; its stderr (the banner) is read for the URL on PostgreSQL,
 * where the home holds no `server.json`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (this file is `packages/bench/src/server/serve-process.ts`). */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BATON_BIN = path.join(REPO_ROOT, 'packages/cli/bin/baton.js');

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const POLL_MS = 10;

export interface ServeOptions {
  /** `$BATON_HOME` (a temporary directory). */
  readonly home: string;
  /** The server's log file (stdout). */
  readonly logFile: string;
  /** PostgreSQL instead of the embedded database in the home. */
  readonly databaseUrl?: string;
  /** `BATON_SETUP_TOKEN`: the setup token of the owner account. */
  readonly setupToken: string;
  /** Options of node itself, before the script (`--cpu-prof`, …). */
  readonly nodeArgs?: readonly string[];
  /** More options of `baton serve` (`--concurrency 100`, …). */
  readonly serveArgs?: readonly string[];
}

export interface ServeProcess {
  readonly pid: number;
  readonly url: string;
  /** From `spawn` to the first 200 of `GET /ready`, in ms. */
  readonly readyMs: number;
  /** The setup token it was started with. */
  readonly setupToken: string;
  /** Stops the server (SIGTERM: it drains) and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `baton serve --port 0` on `home` and waits until `/ready` answers 200. Fails when the
 * process exits first or is not ready within two minutes (its stderr is in the message).
 */
export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const args = [...(options.nodeArgs ?? []), BATON_BIN, 'serve', '--port', '0'];
  if (options.databaseUrl !== undefined) args.push('--database-url', options.databaseUrl);
  args.push(...(options.serveArgs ?? []));
  const log = openSync(options.logFile, 'a');
  const started = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, {
      // Its own directory: no baton.config.yaml or cassettes of the repository apply.
      cwd: options.home,
      env: childEnv(options),
      stdio: ['ignore', log, 'pipe'],
    });
  } finally {
    closeSync(log);
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const stop = async () => {
    if (exit !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const failure = (why: string) =>
    new Error(`baton serve ${why}; its stderr:\n${stderr.trim()}\n(log: ${options.logFile})`);

  try {
    const pid = child.pid;
    if (pid === undefined) throw failure('did not start');
    let url: string | undefined;
    for (;;) {
      if (exit !== undefined) throw failure(`exited (${exit.code ?? exit.signal}) before it was ready`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw failure('was not ready within 2 minutes');
      url ??= options.databaseUrl === undefined ? await urlOfHome(options.home) : urlOfBanner(stderr);
      if (url !== undefined && (await answersReady(url))) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return { pid, url, readyMs: performance.now() - started, setupToken: options.setupToken, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The environment of the child: this one without any Baton setting, plus the bench's. */
function childEnv(options: ServeOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('BATON_') && key !== 'PORT' && key !== 'HOST' && key !== 'NODE_OPTIONS')
      env[key] = value;
  }
  return { ...env, BATON_HOME: options.home, BATON_SETUP_TOKEN: options.setupToken, PORT: '0' };
}

/** The URL in `$BATON_HOME/server.json`, once the server wrote it. */
async function urlOfHome(home: string): Promise<string | undefined> {
  try {
    const info = JSON.parse(await readFile(path.join(home, 'server.json'), 'utf8')) as { url?: unknown };
    return typeof info.url === 'string' ? info.url : undefined;
  } catch {
    return undefined;
  }
}

/** The URL of the banner's `Baton is running at http://…` line. */
function urlOfBanner(stderr: string): string | undefined {
  return /Baton is running at (http:\/\/\S+)/.exec(stderr)?.[1];
}

async function answersReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ready`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
