/**
 * The tokens `baton login` stored, one per server URL, in the user's config:
 * `$BATON_CONFIG_DIR/credentials.json`, else `$XDG_CONFIG_HOME/baton/…`, else `~/.config/baton/…`.
 * The directory is 0700 and the file 0600: a token is as good as a password.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

export interface StoredCredential {
  readonly token: string;
  /** The token's id on the server (to revoke it at logout). */
  readonly tokenId: string;
  readonly email: string;
  readonly savedAt: string;
}

type CredentialFile = { servers: Record<string, StoredCredential> };

function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BATON_CONFIG_DIR?.trim()) return path.resolve(env.BATON_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : path.join(homedir(), '.config');
  return path.join(base, 'baton');
}

function credentialsFile(env: NodeJS.ProcessEnv): string {
  return path.join(configDir(env), 'credentials.json');
}

/** The server URL as credentials are keyed: its origin and path, without a trailing slash. */
function serverKey(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

async function readAll(env: NodeJS.ProcessEnv): Promise<CredentialFile> {
  try {
    const parsed = JSON.parse(await readFile(credentialsFile(env), 'utf8')) as Partial<CredentialFile>;
    return { servers: parsed.servers ?? {} };
  } catch {
    return { servers: {} };
  }
}

export async function storedCredential(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StoredCredential | undefined> {
  return (await readAll(env)).servers[serverKey(url)];
}

/** Saves (or, with `undefined`, forgets) the credential of a server; atomic, 0600. */
export async function saveCredential(
  url: string,
  credential: StoredCredential | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const file = credentialsFile(env);
  const all = await readAll(env);
  if (credential === undefined) delete all.servers[serverKey(url)];
  else all.servers[serverKey(url)] = credential;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}
