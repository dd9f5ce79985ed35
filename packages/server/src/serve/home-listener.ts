/**
 * The API on the home's Unix socket, where every other `baton` command on the home reaches the
 * process that holds it. Listens (0600), then writes `server.json` naming the socket. Closing
 * removes `server.json` first (other commands stop finding the socket), then stops accepting,
 * waits for the requests in flight, and removes the socket (and its private directory). The
 * caller holds the home's lock throughout, and releases it only after `close`.
 */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { listen } from '../listen.js';
import {
  homeSocketPath,
  removeHomeServerFile,
  removeOwnHomeServerFileSync,
  writeHomeServerFile,
  type HomeServerInfo,
} from './home-server-file.js';

/** What server.json says besides the pid, the socket and the start. */
export type HomeListenerInfo = Pick<HomeServerInfo, 'url' | 'command' | 'onlyRun'>;

export interface HomeListener {
  readonly socket: string;
  /** Rewrites server.json with `changes` (a driving command names its run once it has one). */
  update(changes: HomeListenerInfo): Promise<void>;
  /** Removes server.json, stops listening, removes the socket; calling it again returns the same promise. */
  close(): Promise<void>;
}

export async function listenOnHome(
  app: OpenAPIHono<AppEnv>,
  home: string,
  described: HomeListenerInfo,
): Promise<HomeListener> {
  const socket = await homeSocketPath(home);
  // A socket outside the home lives in a private directory of its own.
  const privateDir = path.dirname(socket) === path.resolve(home) ? undefined : path.dirname(socket);
  const removeSocket = async () => {
    await rm(privateDir ?? socket, { recursive: true, force: true });
  };
  let listener;
  try {
    listener = await listen(app, { socketPath: socket });
  } catch (error) {
    await removeSocket();
    throw error;
  }
  // A holder that exits without closing (a second Ctrl-C) leaves neither file behind.
  const onExit = () => {
    removeOwnHomeServerFileSync(home);
    rmSync(privateDir ?? socket, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  let info: HomeServerInfo = {
    pid: process.pid,
    socket,
    startedAt: new Date().toISOString(),
    ...described,
  };
  let closing: Promise<void> | undefined;
  // Writes of server.json, one after the other; closing waits for the last.
  let writing: Promise<void> = Promise.resolve();
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await writing.catch(() => undefined);
      await removeHomeServerFile(home);
      await listener.close();
      await removeSocket();
      process.off('exit', onExit);
    })());
  try {
    await writeHomeServerFile(home, info);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    socket,
    update(changes) {
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          if (closing !== undefined) return;
          info = { ...info, ...changes };
          await writeHomeServerFile(home, info);
        });
      return writing;
    },
    close,
  };
}
