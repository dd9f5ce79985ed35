/**
 * The stream workloads of one backend (`delivery`, `storm`, `download`, as selected), on a server
 * of their own: a new home (embedded) or a fresh database (PostgreSQL), so the reads' runs and
 * loads do not weigh on them, started with `--concurrency 100` (100 runs' phases wait at once: the
 * scripted phases' delays hold a slot each) and `--allow-host-tools` (the download's outputs are
 * made by tool phases sent over the API).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ownerToken } from './api-data.js';
import { benchDelivery } from './delivery.js';
import { benchDownload } from './download.js';
import type { ServerWorkload } from './options.js';
import type { ServerFigure } from './render.js';
import { startServe } from './serve-process.js';
import { benchStorm } from './storm.js';

const STREAM_WORKLOADS = { delivery: benchDelivery, storm: benchStorm, download: benchDownload } as const;

export interface StreamBenchOptions {
  readonly backend: 'pglite' | 'postgres';
  /** The bench's temporary directory (homes, logs). */
  readonly dir: string;
  readonly databaseUrl?: string;
  readonly only: ReadonlySet<ServerWorkload>;
  readonly quick: boolean;
  readonly nodeArgs?: readonly string[];
  readonly emit: (figure: ServerFigure) => void;
  readonly progress: (message: string) => void;
}

/** Whether any stream workload is selected. */
export function anyStreamWorkload(only: ReadonlySet<ServerWorkload>): boolean {
  return Object.keys(STREAM_WORKLOADS).some((name) => only.has(name as ServerWorkload));
}

export async function benchStreams(options: StreamBenchOptions): Promise<void> {
  const home = path.join(options.dir, `${options.backend}-streams-home`);
  await mkdir(home);
  const setupToken = randomBytes(24).toString('base64url');
  const server = await startServe({
    home,
    logFile: path.join(options.dir, `${options.backend}-streams-serve.log`),
    setupToken,
    serveArgs: ['--concurrency', '100', '--allow-host-tools'],
    ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  });
  try {
    const context = {
      backend: options.backend,
      url: server.url,
      token: await ownerToken(server.url, setupToken),
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
      pid: server.pid,
      quick: options.quick,
      emit: options.emit,
      progress: options.progress,
    };
    for (const [name, workload] of Object.entries(STREAM_WORKLOADS)) {
      if (options.only.has(name as ServerWorkload)) await workload(context);
    }
  } finally {
    await server.stop();
  }
}
