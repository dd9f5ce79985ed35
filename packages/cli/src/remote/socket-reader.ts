/**
 * Runs read through the home's socket, outliving the socket's holder. A driving `baton run` (or
 * `approve`…) serves the socket only while it holds the home: when its run ends or waits, it stops
 * — while a command that acted through it (`baton approve RUN PHASE` in a second terminal) may
 * still be following the run. Once the socket answers no more (`UNREACHABLE`), this reader opens
 * the home for reading and reads the run there: the same database, so the same state.
 *
 * The home is opened once, by the first read that finds the socket gone; reads that find it gone
 * at the same moment (a snapshot reads the usage and the outputs together) wait for that one home.
 * Each home opened must be closed: an embedded database left open keeps its timers, and the
 * command would never exit.
 */
import { isApiClientError } from '@baton/client';
import { isRuntimeError, RuntimeErrorCode, type RunReader } from '@baton/runtime';
import type { Home } from '../home.js';

/**
 * The holder stops serving its socket before it lets go of the home: while it finishes (closing
 * its database; a few hundred milliseconds, longer on a busy machine), taking the home's lock
 * fails with HOME_LOCKED. Tried again this often, this many times.
 */
const LOCKED_RETRY_MS = 200;
const LOCKED_RETRIES = 50;

/** How the reader opens the home once the socket is gone. */
export interface HomeAccess {
  /** Opens the home with its lock (`openHome`): HOME_LOCKED while another process holds it. */
  lock(): Promise<Home>;
  /**
   * Reads the home while another process keeps holding it (`openHomeForReading`: a private copy
   * of its database). Only once the lock could not be had: a copy taken while the stopping holder
   * still writes (its closing checkpoint) could be torn.
   */
  copy(): Promise<Home>;
}

export interface SocketReaderOptions {
  /** The wait between attempts to take the home's lock (default 200 ms; tests make it short). */
  readonly lockedRetryMs?: number;
}

export interface SocketReader extends RunReader {
  /** True once the socket answered no more and the home itself is read. */
  direct(): boolean;
  /** Closes the home, if it was opened (waiting for an opening under way). */
  close(): Promise<void>;
}

/** `remote` reads through the socket; `access` opens the home when the socket is gone. */
export function createSocketReader(
  remote: RunReader,
  access: HomeAccess,
  options: SocketReaderOptions = {},
): SocketReader {
  const retryMs = options.lockedRetryMs ?? LOCKED_RETRY_MS;
  let home: Promise<Home> | undefined;
  const through = async <T>(read: (reader: RunReader) => Promise<T>): Promise<T> => {
    if (home === undefined) {
      try {
        return await read(remote);
      } catch (error) {
        if (!isApiClientError(error, 'UNREACHABLE')) throw error;
        // Another read may have found the socket gone first: its home serves this one too.
        home ??= openWhenReleased(access, retryMs);
      }
    }
    return read((await home).store);
  };
  return {
    getRun: (runId) => through((reader) => reader.getRun(runId)),
    listEvents: (runId, options) => through((reader) => reader.listEvents(runId, options)),
    getArtifact: (runId, phaseId, version) =>
      through((reader) => reader.getArtifact(runId, phaseId, version)),
    getArtifacts: (runId, refs) => through((reader) => reader.getArtifacts(runId, refs)),
    modelUsage: (runId) => through((reader) => reader.modelUsage(runId)),
    direct: () => home !== undefined,
    async close() {
      const opened = await home?.catch(() => undefined);
      await opened?.close();
    },
  };
}

/**
 * Takes the home once the stopping holder has released it (HOME_LOCKED until then); when another
 * process keeps it past the retries (a command started meanwhile), reads a copy of it.
 */
async function openWhenReleased(access: HomeAccess, retryMs: number): Promise<Home> {
  for (let tries = 1; tries <= LOCKED_RETRIES; tries++) {
    try {
      return await access.lock();
    } catch (error) {
      if (!isRuntimeError(error, RuntimeErrorCode.homeLocked)) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
  return access.copy();
}
