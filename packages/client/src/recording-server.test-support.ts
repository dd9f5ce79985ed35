/**
 * A tiny real HTTP server (node:http) that records every request — method, URL, headers, body —
 * and answers with what the test sets: for checking what the client sends without the routes
 * that will answer it for real.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Answer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The answer to every request from now on (default: 200 `{"ok":true}`). */
  answer(answer: Answer): void;
  close(): Promise<void>;
}

/** Starts it on a free port of 127.0.0.1, or on the Unix socket `socketPath` (`url` is then `http://localhost`). */
export async function startRecordingServer(socketPath?: string): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let next: Answer = { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(next.status, next.headers ?? {});
      response.end(next.body);
    });
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
    answer: (answer) => {
      next = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
