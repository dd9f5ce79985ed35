/**
 * A throwaway PostgreSQL server for `bench:compare` when none is given: the newest server of the
 * machine's Debian packages (`/usr/lib/postgresql/<version>/bin`, or `BATON_PG_BIN`), a data
 * directory under the system's temporary directory, a free loopback port — started the way
 * `.ci/run` starts one, and removed at the end. `initdb` refuses to run as root, so as root the
 * server runs as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface LocalPostgres {
  /** A superuser connection to its `postgres` database. */
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** Where the server's programs are, or undefined when the machine has none. */
async function findBinDir(): Promise<string | undefined> {
  const given = process.env.BATON_PG_BIN;
  if (given !== undefined && given !== '') return existsSync(join(given, 'initdb')) ? given : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = (await readdir(root))
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** A loopback port nobody listens on, from 55433 up. */
async function freePort(): Promise<number> {
  for (let port = 55433; port < 55633; port += 1) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free loopback port between 55433 and 55632 for PostgreSQL');
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts a server, or returns why it cannot (no PostgreSQL installed, or it failed to start: the
 * message says what to do).
 */
export async function startLocalPostgres(): Promise<LocalPostgres | string> {
  const bin = await findBinDir();
  if (bin === undefined) {
    return 'no PostgreSQL found in /usr/lib/postgresql (install it: apt-get install postgresql, or set BATON_PG_BIN, or pass --database-url)';
  }
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const run = async (program: string, args: readonly string[]) => {
    const line = [join(bin, program), ...args].map(quote).join(' ');
    if (asRoot) await exec('su', ['postgres', '-s', '/bin/sh', '-c', line]);
    else await exec('/bin/sh', ['-c', line]);
  };
  try {
    if (asRoot) {
      const { stdout } = await exec('id', ['-u', 'postgres']);
      const { stdout: gid } = await exec('id', ['-g', 'postgres']);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
    const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200`;
    await run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', settings, 'start']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    return `could not start PostgreSQL from ${bin}: ${detail} (pass --database-url to use a running server)`;
  }
  const { stdout: version } = await exec(join(bin, 'postgres'), ['--version']);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await run('pg_ctl', ['-D', data, '-m', 'fast', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, version: version.trim(), stop };
}
