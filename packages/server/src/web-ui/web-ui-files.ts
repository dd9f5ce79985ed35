/**
 * The built web UI on disk (`packages/web/dist`): which file a request path names (never one
 * outside the directory), its content type, and how long browsers may keep it. Vite names the
 * files under `assets/` by their content hash, so they never change: cached for a year,
 * `immutable`. Everything else, `index.html` first, is revalidated on every use (`no-cache`), so a
 * new build shows at the next load.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** A file of the build, read. */
export interface UiFile {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** The path of `index.html` in a build directory. */
function indexOf(dir: string): string {
  return path.join(dir, 'index.html');
}

/** Whether `dir` holds a build (its `index.html`). */
export async function hasBuild(dir: string): Promise<boolean> {
  return stat(indexOf(dir)).then(
    (found) => found.isFile(),
    () => false,
  );
}

/**
 * The file a URL path names inside `dir`, or undefined when there is none (or the path is not
 * one: encoded NUL, `..` out of the directory, a directory).
 */
export async function readUiFile(dir: string, urlPath: string): Promise<UiFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const root = path.resolve(dir);
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) return undefined;
  const found = await stat(file).catch(() => undefined);
  if (found === undefined || !found.isFile()) return undefined;
  const relative = path.relative(root, file).split(path.sep).join('/');
  return {
    body: await readFile(file),
    contentType: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    cacheControl: relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
  };
}
