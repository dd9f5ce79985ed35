/**
 * The home of a command that executes runs: a driving `baton run`, `fork`, `approve`… (one run)
 * or `baton worker` (every run). On an embedded home this process is the only one that can open
 * the database, so for as long as it holds the home it also serves the API on the home's socket
 * (`serveHomeSocket`: no TCP port, no workers of its own) and names it in `server.json`: every
 * other `baton` command on the home then acts through it instead of failing with HOME_LOCKED.
 * Closing stops the socket (server.json and the socket go first), then closes the database and
 * releases the lock.
 */
import pino, { type Logger } from 'pino';
import type { Transition } from '@baton/engine';
import { serveHomeSocket } from '@baton/server';
import { builtinsDir } from './workflow-argument.js';
import { cliBuiltinSteps } from './builtin-steps.js';
import { openHome, type Home, type HomeOptions } from './home.js';

/** What a driving command does with the home's socket. */
interface HomeSocket {
  /** The socket's path. */
  readonly path: string;
  /** Names the run this process executes (`executes: 'one'`); again with the same run does nothing. */
  drive(runId: string): Promise<void>;
  /**
   * Tells `observer` of every transition recorded through the socket (a driver's `observe`, so a
   * cancel stops running attempts at once) until the function it returns is called.
   */
  observe(observer: (runId: string, transition: Transition) => void): () => void;
}

export interface DrivingHome extends Home {
  /** The socket this process serves, on an embedded home. */
  readonly socket?: HomeSocket;
}

export interface DrivingOptions {
  /** The command, for other commands' messages: `baton run`. */
  readonly command: string;
  /** `one`: the command executes only the run it drives; `all`: every run (`baton worker`). */
  readonly executes: 'one' | 'all';
}

/**
 * Opens the home for writing (`openHome`: HOME_LOCKED when another process holds it) and, when it
 * is the embedded home, serves its socket until `close()`.
 */
export async function openDrivingHome(flags: HomeOptions, options: DrivingOptions): Promise<DrivingHome> {
  const home = await openHome(flags);
  if (home.db === undefined) return home;
  const observers = new Set<(runId: string, transition: Transition) => void>();
  let server;
  try {
    server = await serveHomeSocket({
      home: home.dir,
      db: home.db,
      store: home.store,
      log: socketLog(),
      command: options.command,
      executes: options.executes,
      builtinsDir: builtinsDir(),
      builtinSteps: cliBuiltinSteps(),
      observe: (runId, transition) => {
        for (const observer of observers) observer(runId, transition);
      },
    });
  } catch (error) {
    await home.close();
    throw error;
  }
  let driven: string | undefined;
  const socket: HomeSocket = {
    path: server.socket,
    async drive(runId) {
      if (driven === runId) return;
      driven = runId;
      await server.drive(runId);
    },
    observe(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
  };
  return {
    ...home,
    socket,
    async close() {
      try {
        await server.stop();
      } finally {
        await home.close();
      }
    },
  };
}

/**
 * The socket server's log: on stderr (stdout is the command's: `--json`), errors only unless
 * `BATON_LOG_LEVEL` says otherwise — a request log would interleave with the live view.
 */
function socketLog(): Logger {
  const level = process.env.BATON_LOG_LEVEL?.trim() || 'error';
  return pino({ level }, pino.destination({ fd: 2, sync: true }));
}
