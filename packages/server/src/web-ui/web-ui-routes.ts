/**
 * The web UI, served by the API's own server: the build's files at their paths, and `index.html`
 * for every other GET that is not the API's (`/api/…`), so that the UI's own addresses
 * (`/runs/r1`, `/setup?token=…`) load the app, which routes them. A missing path that looks like a
 * file (`/favicon.ico`) is 404, not the app. Pages get a Content-Security-Policy that allows only
 * this origin's scripts, styles (inline style attributes included: the graph positions its nodes
 * with them) and requests.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readUiFile, REVALIDATE, type UiFile } from './web-ui-files.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The web UI's handlers: `files` for any GET (mounted last), `page` for a path the app owns. */
export interface WebUi {
  readonly files: MiddlewareHandler<AppEnv>;
  readonly page: MiddlewareHandler<AppEnv>;
}

function answer(c: Context<AppEnv>, file: UiFile): Response {
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Cache-Control': file.cacheControl,
  };
  if (file.contentType.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
}

/** The UI of the build in `dir` (checked to exist by the caller, see `hasBuild`). */
export function webUi(dir: string): WebUi {
  const index = async (c: Context<AppEnv>): Promise<Response | undefined> => {
    const file = await readUiFile(dir, '/index.html');
    return file === undefined ? undefined : answer(c, { ...file, cacheControl: REVALIDATE });
  };
  return {
    page: async (c, next) => (await index(c)) ?? next(),
    files: async (c, next) => {
      const { method, path } = c.req;
      if ((method !== 'GET' && method !== 'HEAD') || path === '/api' || path.startsWith('/api/'))
        return next();
      const file = await readUiFile(dir, path);
      if (file !== undefined) return answer(c, file);
      const last = path.slice(path.lastIndexOf('/') + 1);
      if (last.includes('.')) return next();
      return (await index(c)) ?? next();
    },
  };
}
