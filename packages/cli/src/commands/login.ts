import { hostname } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { BatonError, ErrorCode } from '@baton/engine';
import { createClient, isApiClientError, type FetchLike } from '@baton/client';
import { ExitCode } from '../exit-code.js';
import { saveCredential, storedCredential } from '../remote/credentials.js';

export interface LoginFlags {
  readonly server: string;
  readonly email?: string;
}

/**
 * `baton login --server URL`: signs in with an email and password (asked on a terminal, else
 * `BATON_EMAIL` / `BATON_PASSWORD`), makes an API token named after this machine, keeps it in the
 * user's config (0600) and ends the session it used. Every command with `--server URL` then uses
 * the token.
 */
export async function loginCommand(flags: LoginFlags): Promise<ExitCode> {
  const email = flags.email ?? (process.env.BATON_EMAIL?.trim() || (await ask('email: ', false)));
  const password = process.env.BATON_PASSWORD ?? (await ask('password: ', true));
  if (email === '' || password === '')
    throw new BatonError(
      ErrorCode.badRequest,
      'give an email (--email) and a password (asked on a terminal, or BATON_PASSWORD)',
    );
  const client = createClient({ baseUrl: flags.server, fetch: withCookies() });
  const signedIn = await client.auth.login({ email, password });
  const token = await client.tokens.create({ name: `baton CLI on ${hostname()}` });
  await client.auth.logout().catch(() => undefined);
  const file = await saveCredential(flags.server, {
    token: token.token,
    tokenId: token.id,
    email: signedIn.user?.email ?? email,
    savedAt: new Date().toISOString(),
  });
  process.stderr.write(`signed in to ${flags.server} as ${email}; its token is kept in ${file}\n`);
  return ExitCode.completed;
}

/** `baton logout --server URL`: revokes the kept token on the server and forgets it. */
export async function logoutCommand(flags: { server: string }): Promise<ExitCode> {
  const credential = await storedCredential(flags.server);
  if (credential === undefined) {
    process.stderr.write(`not signed in to ${flags.server}\n`);
    return ExitCode.completed;
  }
  const client = createClient({ baseUrl: flags.server, token: credential.token });
  await client.tokens.revoke(credential.tokenId).catch((error: unknown) => {
    // Revoked or expired already: forgetting it is all that is left.
    if (!isApiClientError(error) || (error.code !== 'UNAUTHENTICATED' && error.code !== 'NOT_FOUND'))
      throw error;
  });
  await saveCredential(flags.server, undefined);
  process.stderr.write(`signed out of ${flags.server}; its token is revoked\n`);
  return ExitCode.completed;
}

/** A fetch that keeps the session cookie the server sets and sends it back (Node's fetch keeps none). */
function withCookies(): FetchLike {
  let cookie: string | undefined;
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookie !== undefined) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set !== null) cookie = set.split(';')[0];
    return response;
  };
}

/** Asks on the terminal (hiding what is typed for a password); '' without a terminal. */
async function ask(question: string, hidden: boolean): Promise<string> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return '';
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    const output = rl as unknown as { _writeToOutput?: (text: string) => void };
    output._writeToOutput = (text: string) => {
      if (text.includes(question)) process.stderr.write(question);
    };
  }
  try {
    const answer = await rl.question(question);
    if (hidden) process.stderr.write('\n');
    return answer.trim();
  } finally {
    rl.close();
  }
}
