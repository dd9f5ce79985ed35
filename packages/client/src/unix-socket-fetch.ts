/**
 * A `fetch` over a Unix socket (node:http's `socketPath`): how the CLI reaches `baton serve` on
 * the home's socket, where the socket file's permissions authenticate it. The URL's host only
 * fills the `Host` header; its path and query are sent. The answer streams (`Response.body`), so
 * a long answer (an event stream) is read as it arrives. Node only: imported from
 * `@baton/client/node`, never from the browser-safe entry.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FetchLike } from './http.js';

/** Statuses whose answer has no body (a `Response` refuses one). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** A fetch that sends every request to the server listening on `socketPath`. */
export function unixSocketFetch(socketPath: string): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    return new Promise<Response>((resolve, reject) => {
      const signal = request.signal;
      const reason = (): Error =>
        signal.reason instanceof Error ? signal.reason : new Error('the request was aborted');
      if (signal.aborted) {
        reject(reason());
        return;
      }
      const outgoing = httpRequest(
        {
          socketPath,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers: { host: url.host, ...headers },
        },
        (incoming) => resolve(toResponse(incoming, request.method)),
      );
      const abort = () =>
        outgoing.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', abort, { once: true });
      outgoing.once('close', () => signal.removeEventListener('abort', abort));
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  };
}

function toResponse(incoming: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const status = incoming.statusCode ?? 502;
  const empty = NO_BODY.has(status) || method === 'HEAD';
  if (empty) incoming.resume();
  const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: incoming.statusMessage ?? '', headers });
}
