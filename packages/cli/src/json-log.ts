/**
 * The JSON log lines of `baton serve`, written in batches without blocking: once 4 kB wait, or
 * within about 0.2 s of a line — under load one write (a system call) carries a few dozen
 * requests' lines instead of one each. What waits is written when the process exits (pino's
 * destination flushes itself on `exit`); a kill -9 loses it.
 *
 * "Within 0.2 s" holds for a line written while an earlier batch is still being written, too: the
 * destination's `flush()` does nothing then, so each tick flushes as long as bytes wait that no
 * finished write has carried — counted here, since the destination does not say.
 */
import pino from 'pino';

/** Lines are written once this many bytes wait, or at the next tick after one. */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 200;

type Destination = ReturnType<typeof pino.destination>;

/** A pino stream writing to `out` in batches; `tick()` writes what waits (the timer's work). */
export interface BatchedLines {
  write(line: string): void;
  tick(): void;
}

/** Batches of lines on `out` (a destination opened with `minLength`); nothing is written until a tick or `minLength`. */
export function batchedLines(out: Destination): BatchedLines {
  // Bytes handed to `out` that no finished write has carried yet.
  let waiting = 0;
  out.on('write', (bytes: number) => {
    waiting = Math.max(0, waiting - bytes);
  });
  return {
    write(line) {
      waiting += Buffer.byteLength(line);
      out.write(line);
    },
    tick() {
      if (waiting === 0) return;
      try {
        // Does nothing while a write is under way: the next tick asks again.
        out.flush();
      } catch {
        // Closed (the process is exiting, and pino wrote what waited): nothing more to write.
      }
    },
  };
}

/** A JSON logger on stdout, its lines written in batches (see the module's comment). */
export function batchedJsonLog(level: string): pino.Logger {
  const out = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  const lines = batchedLines(out);
  setInterval(() => lines.tick(), LOG_FLUSH_MS).unref();
  return pino({ level }, lines);
}
