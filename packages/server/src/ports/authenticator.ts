/**
 * How the auth middleware learns who a request is: the accounts module implements
 * {@link Authenticator} on the database (`accounts/authenticator.ts`).
 */
import type { Principal } from '../app-env.js';

/** Resolves a request's credentials to a principal (the accounts module implements it). */
export interface Authenticator {
  authenticate(request: AuthRequest): Promise<Principal | undefined>;
}

/** What a request shows of who it is. */
export interface AuthRequest {
  readonly cookie: string | undefined;
  readonly authorization: string | undefined;
  /** True when the request came over the home's Unix socket (the filesystem vouches for it). */
  readonly socket: boolean;
  /**
   * Over the socket only: who the home's owner says acts (`X-Baton-Actor`, the CLI's `--by`),
   * recorded as `by`. Ignored on TCP, where the credential says who acts.
   */
  readonly actor?: string;
}
