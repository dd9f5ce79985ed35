/**
 * `GET /setup`: a small self-contained page (no external resources) behind the setup link the
 * server prints, so that the link works in a browser before the web UI exists. Its script reads the
 * token from the address (and removes it from the address bar and the history), then posts the
 * form to `POST /api/auth/setup` with fetch. The page's Content-Security-Policy allows exactly its
 * own inline script and style (by hash) and requests to this origin; the server never reads or
 * logs the query string.
 */
import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { MIN_PASSWORD_LENGTH } from '../accounts/password.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:26rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
label{display:block;margin:1rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
button{margin-top:1.5rem;padding:.6rem 1rem;font:inherit;cursor:pointer}#status{min-height:1.5em}`;

const SCRIPT = `const token = new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);
const form = document.getElementById('setup');
const status = document.getElementById('status');
if (token === '') status.textContent = 'This address has no setup token: open the link the server printed.';
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  status.textContent = 'Creating the account…';
  try {
    const response = await fetch('/api/auth/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: data.get('email'), password: data.get('password') }),
    });
    const body = await response.json().catch(() => null);
    if (response.ok) {
      form.replaceChildren();
      status.textContent = 'Done: you are signed in as ' + body.user.email + '.';
      form.append(status);
    } else {
      status.textContent = (body && body.error && body.error.message) || 'Setup failed (' + response.status + ').';
    }
  } catch (error) {
    status.textContent = 'The server did not answer: ' + error;
  }
});`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set up Baton</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Set up Baton</h1>
<p>Create the owner account of this Baton server.</p>
<form id="setup">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password (at least ${MIN_PASSWORD_LENGTH} characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<button type="submit">Create the owner account</button>
<p id="status" role="status"></p>
</form>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The page's policy: its own script and style, fetches to this origin, nothing else. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const setupPageRoute = createRoute({
  method: 'get',
  path: '/setup',
  tags: ['auth'],
  summary: 'The setup page the setup link opens (`/setup?token=…`)',
  responses: {
    200: { description: 'The page', content: { 'text/html': { schema: z.string() } } },
  },
});

export function setupPageRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(setupPageRoute, (c) =>
    c.html(PAGE, 200, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': 'no-store',
    }),
  );
  return app;
}
