/**
 * `baton serve`: one process that serves the API on a TCP port and — on the embedded database —
 * on the home's Unix socket (where every other `baton` command on the home reaches it), and runs
 * workers in-process that execute every run's phases.
 *
 * It also sweeps the database of expired sessions, tokens and idempotency keys (`expiry-sweep.ts`)
 * on start and every 10 minutes, and frees the large contents no run uses any more
 * (`blob-sweep.ts`) on start, every hour and soon after a run's deletion.
 *
 * Stopping (`stop`): stop accepting connections, let running phases finish for the grace period
 * (then release them to the queue: they run again at once elsewhere, or at the next start), close
 * the database and release the home. `interrupt` releases running phases now.
 */
import type { Logger } from 'pino';
import type { BuiltinSteps } from '@baton/engine';
import { createSqlRunStore } from '@baton/store';
import { RunDriver, systemClock, type AttemptProcesses, type HandlerLookup } from '@baton/runtime';
import { createApp } from '../app.js';
import { listen, type Listener } from '../listen.js';
import { blobStorage } from './blob-storage.js';
import { startBlobSweep, type BlobSweep, type BlobSweepTimings } from './blob-sweep.js';
import { composeServices, type Services } from './compose-services.js';
import { startExpirySweep, type ExpirySweep } from './expiry-sweep.js';
import { databaseReadiness } from './readiness.js';
import { openServerDatabase } from './server-database.js';
import { listenOnHome, type HomeListener } from './home-listener.js';
import { hasBuild } from '../web-ui/web-ui-files.js';
import { webUi } from '../web-ui/web-ui-routes.js';

export interface StartServerOptions {
  /** `$BATON_HOME`: the embedded database, the socket, the attempt records. */
  readonly home: string;
  /** PostgreSQL instead of the embedded database. */
  readonly databaseUrl?: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Execute phases in this process (default true). */
  readonly workers?: boolean;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /**
   * The phase handlers of the in-process workers (required with workers). Their tool handler should
   * start tools from `hostToolEnvironment(…)` (`@baton/runtime`), not this process's environment:
   * the runs come from the network, the environment holds the server's secrets.
   */
  readonly handlers?: HandlerLookup;
  readonly processes?: AttemptProcesses;
  readonly log: Logger;
  /** `BATON_SETUP_TOKEN`: the setup link's token, preset for automated installs. */
  readonly setupToken?: string;
  /** Origins other than the server's own that browsers may call from. */
  readonly allowedOrigins?: readonly string[];
  /**
   * The URL people reach the server at, when it is not the one it listens on (behind a TLS
   * proxy: `https://baton.example.com`). Browsers send its origin; https makes cookies Secure.
   */
  readonly publicUrl?: string;
  /** Tool phases may be started over the network, not only over the home's socket. */
  readonly allowHostTools?: boolean;
  /** The builtin steps this server's workers run; uploads are checked against them. */
  readonly builtinSteps?: BuiltinSteps;
  /**
   * The directory of large contents (`--blobs-dir`): default `$BATON_HOME/blobs` on the embedded
   * database; on PostgreSQL none (contents stay in the database) unless given — then every
   * server and worker on the database must use the same directory (see `blob-storage.ts`).
   */
  readonly blobsDir?: string;
  /** Contents above this many bytes go to the blob directory (default 256 KiB). */
  readonly blobThreshold?: number;
  /** The directory of the built-in workflows (default: those `@baton/workflows` ships). */
  readonly builtinsDir?: string;
  /** When the blob sweep runs and what it may free (defaults in `blob-sweep.ts`; tests shorten them). */
  readonly blobSweep?: BlobSweepTimings;
  /**
   * The built web UI (`packages/web/dist`): served when it holds a build. Without one the server
   * serves the API alone and says so in `webUi`.
   */
  readonly webUiDir?: string;
}

export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  /** The home's socket (embedded database only). */
  readonly socket?: string;
  /** The one-time setup link, while no account exists. */
  readonly setupUrl?: string;
  /** Where the data lives (the home, or the redacted database URL). */
  readonly where: string;
  /** The web UI: `served` from `webUiDir`, `missing` (no build there), `none` (no `webUiDir`). */
  readonly webUi: 'served' | 'missing' | 'none';
  /**
   * Drains: stops accepting, lets running phases finish for up to `graceMs`, releases the rest,
   * closes everything. Resolves when done; calling it again returns the same promise.
   */
  stop(graceMs: number): Promise<void>;
  /** Releases running phases now (a second signal); `stop` still resolves. */
  interrupt(): void;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const database = await openServerDatabase({
    home: options.home,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  });
  const { db } = database;
  const blobs = blobStorage({
    home: options.home,
    embedded: database.embedded,
    ...(options.blobsDir === undefined ? {} : { blobsDir: options.blobsDir }),
    ...(options.blobThreshold === undefined ? {} : { threshold: options.blobThreshold }),
  });
  const store = createSqlRunStore(db, blobs === undefined ? {} : { blobs });
  const listeners: Pick<Listener, 'close'>[] = [];
  let home: HomeListener | undefined;
  let driver: RunDriver | undefined;
  let serving: Promise<void> | undefined;
  let services: Services | undefined;
  let sweep: ExpirySweep | undefined;
  let blobSweep: BlobSweep | undefined;
  try {
    const publicOrigin = options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin;
    services = await composeServices({
      db,
      store,
      hostTools: options.allowHostTools === true ? 'allow' : 'socket',
      ...(options.builtinSteps === undefined ? {} : { builtinSteps: options.builtinSteps }),
      ...(publicOrigin === undefined ? {} : { secureCookies: publicOrigin.startsWith('https:') }),
      observe: (runId, transition) => driver?.observe(runId, transition),
      onRunDeleted: (tenantId) => blobSweep?.runDeleted(tenantId),
      log: options.log,
      ...(options.setupToken === undefined ? {} : { setupToken: options.setupToken }),
      ...(options.builtinsDir === undefined ? {} : { builtinsDir: options.builtinsDir }),
    });
    const ui =
      options.webUiDir === undefined ? 'none' : (await hasBuild(options.webUiDir)) ? 'served' : 'missing';
    const app = createApp({
      log: options.log,
      ready: databaseReadiness(db),
      authenticator: services.authenticator,
      publicRoutes: services.publicRoutes,
      routes: services.routes,
      idempotency: services.idempotency,
      ...(ui === 'served' && options.webUiDir !== undefined ? { webUi: webUi(options.webUiDir) } : {}),
      allowedOrigins: [
        ...(options.allowedOrigins ?? []),
        ...(publicOrigin === undefined ? [] : [publicOrigin]),
      ],
    });
    sweep = startExpirySweep({ db, log: options.log });
    blobSweep = startBlobSweep({ db, blobs, log: options.log, ...options.blobSweep });
    const tcp = await listen(app, { host: options.host, port: options.port });
    listeners.push(tcp);
    if (database.embedded) {
      home = await listenOnHome(app, options.home, { url: tcp.url, command: 'baton serve' });
      listeners.push(home);
    }
    // Workers start once the server is up: a server that cannot listen executes nothing.
    if (options.workers !== false) {
      if (options.handlers === undefined) throw new Error('startServer: workers need handlers');
      driver = new RunDriver({
        store,
        handlers: options.handlers,
        clock: systemClock,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
        ...(options.processes === undefined ? {} : { processes: options.processes }),
      });
      serving = driver.serve().catch((error: unknown) => {
        options.log.error({ err: error }, 'the workers stopped on a storage error');
      });
    }
    const setupUrl =
      services.setupToken === undefined
        ? undefined
        : `${tcp.url}/setup?token=${encodeURIComponent(services.setupToken)}`;
    const started = { services, sweep, blobSweep };

    let stopping: Promise<void> | undefined;
    const stop = (graceMs: number): Promise<void> =>
      (stopping ??= (async () => {
        // Other commands stop finding the socket first (the home listener removes server.json
        // before it stops accepting), then no new connection is accepted.
        const closing = Promise.all(listeners.map((listener) => listener.close()));
        // Open streams (run and tenant streams) never end by themselves: end them, or `closing`
        // waits for ever.
        await started.services.endStreams();
        if (driver !== undefined) await driver.shutdown(graceMs);
        await serving;
        await closing;
        await started.sweep.stop();
        await started.blobSweep.stop();
        await started.services.close();
        await store.close();
        await database.release();
      })());
    return {
      url: tcp.url,
      where: database.where,
      webUi: ui,
      ...(home === undefined ? {} : { socket: home.socket }),
      ...(setupUrl === undefined ? {} : { setupUrl }),
      stop,
      interrupt: () => driver?.interrupt(),
    };
  } catch (error) {
    driver?.interrupt();
    await serving;
    await Promise.all(listeners.map((listener) => listener.close()));
    await sweep?.stop();
    await blobSweep?.stop();
    await services?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    await database.release();
    throw error;
  }
}
