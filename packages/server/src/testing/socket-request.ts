/**
 * One HTTP request over a Unix socket (the home's, where requests act as its owner): `fetch` cannot
 * reach one.
 */
import { request as httpRequest } from 'node:http';

/** What {@link socketRequest} sends besides the method and path. */
export interface SocketInit {
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** The answer: status, headers and the body as text. */
export interface SocketResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** Sends `method pathname` to the server listening on `socketPath` and reads its whole answer. */
export function socketRequest(
  socketPath: string,
  method: string,
  pathname: string,
  init: SocketInit = {},
): Promise<SocketResponse> {
  return new Promise<SocketResponse>((resolve, reject) => {
    const req = httpRequest({ socketPath, method, path: pathname, headers: init.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
