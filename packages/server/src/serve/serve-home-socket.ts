/**
 * The API on the home's socket alone, for a `baton` command that holds an embedded home and
 * executes runs itself — a driving `baton run`, `baton approve`… (one run) or `baton worker`
 * (every run) — so that every other `baton` command on the home acts through it instead of failing
 * with HOME_LOCKED. The same app as `baton serve`'s (`composeServices`), on the database and store
 * the command opened: no TCP port, no setup link, no workers of its own (the command's driver
 * executes; `observe` tells it of what the API records). Requests over the socket act as the
 * home's owner, as with `baton serve`.
 */
import type { BuiltinSteps, ScopedRunStore, Transition } from '@baton/engine';
import type { Db } from '@baton/store';
import type { Logger } from 'pino';
import { createApp } from '../app.js';
import { composeServices } from './compose-services.js';
import { listenOnHome } from './home-listener.js';
import { databaseReadiness } from './readiness.js';

export interface HomeSocketOptions {
  /** `$BATON_HOME`; the caller holds its lock until the server has stopped. */
  readonly home: string;
  readonly db: Db;
  /** The store the command executes runs with (its wake-ups reach the command's driver). */
  readonly store: ScopedRunStore;
  readonly log: Logger;
  /** The holding command, for other commands' messages: `baton run`. */
  readonly command: string;
  /**
   * `one`: this process executes only the run it names with `drive` (requests that would need
   * another run executed are refused with HOME_BUSY); `all`: it executes every run.
   */
  readonly executes: 'one' | 'all';
  /** Told of every transition recorded through the socket (the driver's `observe`). */
  readonly observe?: (runId: string, transition: Transition) => void;
  /** The directory of the built-in workflows (default: those `@baton/workflows` ships). */
  readonly builtinsDir?: string;
  /** The builtin steps this process runs; workflows uploaded through the socket are checked against them. */
  readonly builtinSteps?: BuiltinSteps;
}

export interface HomeSocketServer {
  readonly socket: string;
  /**
   * Names the run this process executes from now on (`executes: 'one'`): inputs to it pass, and
   * server.json says which run it is.
   */
  drive(runId: string): Promise<void>;
  /**
   * Removes server.json, stops listening (requests in flight finish) and removes the socket.
   * Resolves when done; calling it again returns the same promise. Then release the home.
   */
  stop(): Promise<void>;
}

export async function serveHomeSocket(options: HomeSocketOptions): Promise<HomeSocketServer> {
  let driven: string | undefined;
  const services = await composeServices({
    db: options.db,
    store: options.store,
    hostTools: 'socket',
    setupLink: false,
    ...(options.builtinSteps === undefined ? {} : { builtinSteps: options.builtinSteps }),
    log: options.log,
    ...(options.observe === undefined ? {} : { observe: options.observe }),
    ...(options.builtinsDir === undefined ? {} : { builtinsDir: options.builtinsDir }),
    ...(options.executes === 'one'
      ? {
          onlyRun: () => ({
            home: options.home,
            command: options.command,
            pid: process.pid,
            ...(driven === undefined ? {} : { runId: driven }),
          }),
        }
      : {}),
  });
  try {
    const app = createApp({
      log: options.log,
      ready: databaseReadiness(options.db),
      authenticator: services.authenticator,
      publicRoutes: services.publicRoutes,
      routes: services.routes,
      idempotency: services.idempotency,
    });
    const listener = await listenOnHome(app, options.home, {
      command: options.command,
      ...(options.executes === 'one' ? { onlyRun: null } : {}),
    });
    let stopping: Promise<void> | undefined;
    return {
      socket: listener.socket,
      async drive(runId) {
        driven = runId;
        if (options.executes === 'one') await listener.update({ onlyRun: runId });
      },
      stop: () =>
        (stopping ??= (async () => {
          // Open streams never end by themselves: end them, or closing waits for ever.
          const closing = listener.close();
          await services.endStreams();
          await closing;
          await services.close();
        })()),
    };
  } catch (error) {
    await services.close();
    throw error;
  }
}
