import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { BatonError, ErrorCode, parseDuration } from '@baton/engine';
import { startServer, type RunningServer } from '@baton/server';
import { WEB_UI_DIR } from '@baton/web/dist-dir';
import { cliAttemptProcesses } from '../attempt-records.js';
import { cliBuiltinSteps } from '../builtin-steps.js';
import { createCliHandlers } from '../handlers.js';
import { ExitCode } from '../exit-code.js';
import { homeDir } from '../home.js';
import { batchedJsonLog } from '../json-log.js';
import { blobOptions, type BlobFlags } from '../blob-options.js';
import { serverToolEnvironment } from '../server-tool-environment.js';
import { builtinsDir } from '../workflow-argument.js';

export interface ServeFlags extends BlobFlags {
  readonly port?: string;
  readonly host?: string;
  /** `--no-workers` sets it false. */
  readonly workers: boolean;
  readonly concurrency: number;
  readonly grace: string;
  readonly databaseUrl?: string;
  readonly lease?: number;
  readonly allowHostTools?: boolean;
  readonly publicUrl?: string;
  readonly allowedOrigin?: string[];
  /** `--tool-env`: more variables its tool phases get (else `$BATON_TOOL_ENV`). */
  readonly toolEnv?: string[];
}

/** The port `npm start` serves on when neither `--port` nor `PORT` says otherwise. */
const DEFAULT_PORT = 7080;

/**
 * `baton serve`: the API and the web UI (when built: `npm run build`) on `--host`/`--port`, on the embedded database
 * in `$BATON_HOME` (or `--database-url`), with workers in-process. Prints the URL and, until an
 * owner exists, the one-time setup link. Tool phases get the few variables of
 * `serverToolEnvironment`, never the server's own environment (its database URL, setup token,
 * provider keys). SIGTERM/SIGINT drain (running phases finish for the
 * grace period, then go back to the queue); a second one releases them and exits at once.
 */
export async function serveCommand(flags: ServeFlags): Promise<ExitCode> {
  // First, as a flag's parser would: a bad --tool-env fails before anything else is read.
  const toolEnv = serverToolEnvironment(flags.toolEnv);
  const port = parsePort(flags.port ?? process.env.PORT);
  const host = flags.host ?? (process.env.HOST?.trim() || '127.0.0.1');
  const grace = parseDuration(flags.grace);
  if (!grace.ok) throw new BatonError(ErrorCode.badRequest, `--grace ${flags.grace}: ${grace.message}`);
  const databaseUrl = flags.databaseUrl ?? (process.env.BATON_DATABASE_URL?.trim() || undefined);
  const log = serverLog();
  const home = homeDir();
  const blobs = blobOptions(flags);

  // Signals are ours from now on: one that arrives while the server starts stops it once started.
  const stop = stopOnSignals(flags.grace, grace.ms);
  let server: RunningServer;
  try {
    server = await startServer({
      home,
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
      ...blobs,
      host,
      port,
      workers: flags.workers,
      concurrency: flags.concurrency,
      ...(flags.lease === undefined ? {} : { leaseMs: flags.lease }),
      ...(flags.workers
        ? {
            handlers: await createCliHandlers(process.env, process.cwd(), toolEnv),
            processes: cliAttemptProcesses(),
          }
        : {}),
      log,
      builtinsDir: builtinsDir(),
      builtinSteps: cliBuiltinSteps(),
      webUiDir: process.env.BATON_WEB_DIR?.trim() || WEB_UI_DIR,
      ...(process.env.BATON_SETUP_TOKEN ? { setupToken: process.env.BATON_SETUP_TOKEN } : {}),
      allowHostTools: flags.allowHostTools === true || process.env.BATON_ALLOW_HOST_TOOLS === '1',
      ...publicUrlOf(flags.publicUrl ?? (process.env.BATON_PUBLIC_URL?.trim() || undefined)),
      allowedOrigins: [
        ...(flags.allowedOrigin ?? []),
        ...(process.env.BATON_ALLOWED_ORIGINS ?? '')
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== ''),
      ].map(originOf),
    });
  } catch (error) {
    stop.dispose();
    throw listenError(error, host, port);
  }
  const lines = [
    '',
    `  Baton is running at ${server.url}`,
    `  data: ${server.where}${databaseUrl === undefined ? ' (embedded database)' : ''}`,
    `  workers: ${flags.workers ? `${flags.concurrency} phases at once in this process` : 'none (--no-workers): `baton worker` processes execute runs'}`,
  ];
  if (server.webUi === 'served') lines.push(`  web UI: ${server.url}`);
  else
    lines.push(
      '  web UI: not built, so only the API is served — run `npm run build` (or start with `npm start`, which builds it first)',
    );
  if (server.socket !== undefined)
    lines.push(`  other baton commands on this home act through it (${server.socket})`);
  if (server.setupUrl !== undefined)
    lines.push(
      '',
      '  No account yet. Open this link once to create the owner account:',
      `    ${server.setupUrl}`,
    );
  lines.push('', '  Stop with Ctrl-C: running phases finish first (Ctrl-C again to stop now).', '');
  process.stderr.write(`${lines.join('\n')}\n`);

  await stop.serve(server);
  process.stderr.write('stopped\n');
  return ExitCode.completed;
}

/** A clear error for a port that cannot be listened on; other errors unchanged. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new BatonError(
      ErrorCode.badRequest,
      `${host}:${port} is in use (another Baton?) — pick another port with --port N or PORT=N`,
    );
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
    return new BatonError(
      ErrorCode.badRequest,
      `cannot listen on ${host}:${port} (${code}) — check --host and --port`,
    );
  return error;
}

/**
 * SIGTERM/SIGINT from the start: the first drains the server (once it has started), the second
 * releases running phases and exits. `serve(server)` resolves when the server has stopped.
 */
function stopOnSignals(graceText: string, graceMs: number) {
  let signals = 0;
  let server: RunningServer | undefined;
  let stopped: (() => void) | undefined;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  const drain = () => {
    void server!.stop(graceMs).then(() => stopped!());
  };
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      process.stderr.write(
        `${signal}: stopping — no new requests; running phases may finish for ${graceText} (again to stop now)\n`,
      );
      if (server !== undefined) drain();
      return;
    }
    process.stderr.write(`${signal}: releasing running phases and exiting now\n`);
    if (server === undefined) process.exit(ExitCode.completed);
    server.interrupt();
    // Whatever is still running comes back to the queue when its lease expires.
    setTimeout(() => process.exit(ExitCode.completed), 2000).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const dispose = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  return {
    dispose,
    async serve(started: RunningServer): Promise<void> {
      server = started;
      if (signals > 0) drain();
      await whenStopped;
      dispose();
    },
  };
}

/** `--public-url`: an http(s) URL, or a clear error. */
function publicUrlOf(url: string | undefined): { publicUrl?: string } {
  if (url === undefined) return {};
  originOf(url);
  return { publicUrl: url };
}

/** An origin (`https://host[:port]`) from a URL given on the command line, or a clear error. */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  } catch {
    // Refused below.
  }
  throw new BatonError(
    ErrorCode.badRequest,
    `"${url}" is not an http(s) URL, e.g. https://baton.example.com`,
  );
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new BatonError(
      ErrorCode.badRequest,
      `port "${text}" is not a port number (0–65535; 0 picks a free one)`,
    );
  return port;
}

/**
 * The server's log on stdout: one JSON line per entry (for collectors), written in batches (see
 * `json-log.ts`), or — on a terminal — a short readable line (`pino-pretty`). `BATON_LOG_LEVEL`
 * sets the level (default info).
 */
function serverLog(): Logger {
  const level = process.env.BATON_LOG_LEVEL?.trim() || 'info';
  if (!process.stdout.isTTY || process.env.CI === 'true') return batchedJsonLog(level);
  return pino(
    { level },
    pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' }),
  );
}
