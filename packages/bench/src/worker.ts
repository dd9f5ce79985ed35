/**
 * A minimal worker process for the pickup measurement, used when `baton worker` is not available:
 * `RunDriver.serve()` on the PostgreSQL of argv[2] until SIGTERM/SIGINT. Prints `serving` on
 * stderr once it serves. Run with `node --import tsx packages/bench/src/worker.ts URL`.
 */
import { createDefaultHandlers, RunDriver, systemClock } from '@baton/runtime';
import { openPostgresStore } from '@baton/store';

const connectionString = process.argv[2];
if (connectionString === undefined) {
  process.stderr.write('usage: worker.ts POSTGRES_URL\n');
  process.exit(2);
}
const store = await openPostgresStore({ connectionString });
const driver = new RunDriver({ store, handlers: createDefaultHandlers(), clock: systemClock });
const stop = () => void driver.shutdown(5_000);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stderr.write(`bench worker ${process.pid} serving\n`);
try {
  await driver.serve();
} finally {
  await store.close();
}
