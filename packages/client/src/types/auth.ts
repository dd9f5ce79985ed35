/** Accounts, sessions and tokens (`/api/auth`, `/api/tokens`; see docs/server.md). */

/** A user of the server. */
export interface User {
  readonly id: string;
  readonly email: string;
}

/** A tenant: whose workflows and runs a request sees. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
}

/** `POST /api/auth/setup`: the first owner, with the token of the setup link the server printed. */
export interface SetupRequest {
  /** The setup link's token (not needed over the home's socket). */
  readonly token?: string;
  readonly email: string;
  readonly password: string;
}

/** `POST /api/auth/login`. */
export interface LoginRequest {
  readonly email: string;
  readonly password: string;
}

/** What setup and login answer; the session itself travels in the `baton_session` cookie. */
export interface SignedIn {
  readonly user: User;
  readonly tenant: Tenant;
}

/** `GET /api/auth/me`: who the request acts for (`user` null over the home's socket). */
export interface Me {
  readonly user: User | null;
  readonly tenant: Tenant;
  readonly role: 'owner' | 'member';
  readonly via: 'session' | 'token' | 'socket';
}

/** `POST /api/tokens`. */
export interface CreateTokenRequest {
  readonly name: string;
  /** Days until it stops working (1–3650); none: until revoked. */
  readonly expiresInDays?: number;
}

/** A new token: `token` is the secret, in this answer only. Times are epoch milliseconds. */
export interface CreatedToken {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly prefix: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

/** A token as listed: never its secret. Times are epoch milliseconds. */
export interface TokenSummary {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
}

/** `GET /api/tokens`. */
export interface TokenList {
  readonly tokens: readonly TokenSummary[];
}
