/**
 * Runs read through the home's socket, outliving the socket's holder. A driving `baton run` (or
 * `approve`…) serves the socket only while it holds the home: when its run ends or waits, it stops
 * — while a command that acted through it (`baton approve RUN PHASE` in a second terminal) may
 * still be following the run. Once the socket answers no more (`UNREACHABLE`), this reader opens
 * the home for reading and reads the run there: the same database, so the same state.
 */
import { isApiClientError } from '@baton/client';
import { isRuntimeError, RuntimeErrorCode, type RunReader } from '@baton/runtime';
import type { Home } from '../home.js';

/**
 * The holder stops serving its socket before it lets go of the home: while it finishes (a few
 * hundred milliseconds; the run stream makes a follower see the run's end at once, inside that
 * window), opening the home fails with HOME_LOCKED. Tried again this often, this many times.
 */
const LOCKED_RETRY_MS = 200;
const LOCKED_RETRIES = 50;

export interface SocketReader extends RunReader {
  /** True once the socket answered no more and the home itself is read. */
  direct(): boolean;
  /** Closes the home, if it was opened. */
  close(): Promise<void>;
}

/** `remote` reads through the socket; `openHome` opens the home for reading when it is gone. */
export function createSocketReader(remote: RunReader, openHome: () => Promise<Home>): SocketReader {
  let home: Promise<Home> | undefined;
  const through = async <T>(read: (reader: RunReader) => Promise<T>): Promise<T> => {
    if (home === undefined) {
      try {
        return await read(remote);
      } catch (error) {
        if (!isApiClientError(error, 'UNREACHABLE')) throw error;
        home = openWhenReleased(openHome);
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

/** Opens the home, waiting while the stopping holder still has it (HOME_LOCKED). */
async function openWhenReleased(openHome: () => Promise<Home>): Promise<Home> {
  for (let tries = 1; ; tries++) {
    try {
      return await openHome();
    } catch (error) {
      if (!isRuntimeError(error, RuntimeErrorCode.homeLocked) || tries >= LOCKED_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS));
    }
  }
}
