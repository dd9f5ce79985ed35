/**
 * Accounts, sessions and tokens. The accounts routes are written in parallel with this client:
 * the fields named here are the ones it relies on; the index signatures let the rest through.
 */

/** A user of the server. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly role: 'owner' | 'member';
  readonly [field: string]: unknown;
}

/** `POST /api/auth/setup` (the first owner, with the setup token the server printed). */
export interface SetupRequest {
  readonly token: string;
  readonly email: string;
  readonly password: string;
}

/** `POST /api/auth/login`. */
export interface LoginRequest {
  readonly email: string;
  readonly password: string;
}

/** What setup and login answer (the session itself travels as a cookie). */
export interface Session {
  readonly user: User;
  readonly [field: string]: unknown;
}

/** `GET /api/auth/me`: who the request acts for. */
export interface Me {
  readonly tenantId: string;
  readonly userId?: string;
  readonly email?: string;
  readonly via: 'session' | 'token' | 'socket';
  readonly role: 'owner' | 'member';
  readonly actor: string;
  readonly [field: string]: unknown;
}

/** `POST /api/tokens`. */
export interface CreateTokenRequest {
  readonly name: string;
  readonly expiresInDays?: number;
}

/** A token as listed: never its secret. Times are ISO 8601. */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt?: string | null;
  readonly lastUsedAt?: string | null;
  readonly [field: string]: unknown;
}

/** A new token: `token` is its secret, shown this once. */
export interface CreatedToken extends TokenInfo {
  readonly token: string;
}

/** `GET /api/tokens`. */
export interface TokenList {
  readonly tokens: readonly TokenInfo[];
}
