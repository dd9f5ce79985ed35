/**
 * A tiny real HTTP server (node:http) that answers each connection as the test scripts it: frames
 * of an event stream, a drop mid-frame, an early end, an error answer. For testing the stream
 * reader's resume and failure cases against real sockets, on TCP or a Unix socket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server took, numbered from 0. */
export interface SseConnection {
  readonly index: number;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

export interface SseServer {
  readonly url: string;
  /** Every request's headers and URL, in order. */
  readonly requests: { readonly url: string; readonly headers: IncomingMessage['headers'] }[];
  /** Resolves when connection `index`'s socket has closed (the client left). */
  closed(index: number): Promise<void>;
  close(): Promise<void>;
}

/** One frame's text: `id`, `event`, `retry` lines when given, the data as JSON. */
export function frame(fields: { id?: number; event?: string; retry?: number; data: unknown }): string {
  const lines: string[] = [];
  if (fields.id !== undefined) lines.push(`id: ${fields.id}`);
  if (fields.event !== undefined) lines.push(`event: ${fields.event}`);
  if (fields.retry !== undefined) lines.push(`retry: ${fields.retry}`);
  lines.push(`data: ${JSON.stringify(fields.data)}`);
  return `${lines.join('\n')}\n\n`;
}

/** A durable event frame of seq `seq` (type `phase_started`), with its aliases. */
export function eventFrame(seq: number, aliases: string[] = []): string {
  return frame({
    id: seq,
    event: 'phase_started',
    data: { seq, at: 1_000 + seq, type: 'phase_started', phaseId: 'p', attempt: 1, aliases },
  });
}

/** Starts the stream's answer: 200 `text/event-stream`, headers sent now. */
export function openStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

/** Starts it on a free port of 127.0.0.1, or on the Unix socket `socketPath`; `handle` answers each request. */
export async function startSseServer(
  handle: (connection: SseConnection) => void,
  socketPath?: string,
): Promise<SseServer> {
  const requests: SseServer['requests'] = [];
  const closings: Promise<void>[] = [];
  const server = createServer((request, response) => {
    const index = requests.length;
    requests.push({ url: request.url ?? '', headers: request.headers });
    closings[index] = new Promise((resolve) => response.once('close', () => resolve()));
    handle({ index, request, response });
  });
  await new Promise<void>((resolve) => {
    if (socketPath === undefined) server.listen(0, '127.0.0.1', resolve);
    else server.listen(socketPath, resolve);
  });
  return {
    url:
      socketPath === undefined
        ? `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        : 'http://localhost',
    requests,
    closed: (index) => closings[index] ?? Promise.reject(new Error(`no connection ${index}`)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
