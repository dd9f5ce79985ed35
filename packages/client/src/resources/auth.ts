import type { Http, MutationOptions, RequestOptions } from '../http.js';
import type {
  CreatedToken,
  CreateTokenRequest,
  LoginRequest,
  Me,
  SetupRequest,
  SignedIn,
  TokenList,
} from '../types/auth.js';

/** `/api/auth`: the first owner, sessions, who am I. */
export interface AuthApi {
  /** `POST /api/auth/setup`: creates the first owner with the setup link's token; `CONFLICT` once done. */
  setup(request: SetupRequest, options?: MutationOptions): Promise<SignedIn>;
  /** `POST /api/auth/login`: starts a session (a cookie). */
  login(request: LoginRequest, options?: MutationOptions): Promise<SignedIn>;
  /** `POST /api/auth/logout`: ends the session. */
  logout(options?: MutationOptions): Promise<void>;
  /** `GET /api/auth/me`. */
  me(options?: RequestOptions): Promise<Me>;
}

/** `/api/tokens`: tokens for scripts and the CLI. */
export interface TokensApi {
  /** `POST /api/tokens`: the answer holds the secret, this once. */
  create(request: CreateTokenRequest, options?: MutationOptions): Promise<CreatedToken>;
  /** `GET /api/tokens`. */
  list(options?: RequestOptions): Promise<TokenList>;
  /** `DELETE /api/tokens/:id`. */
  revoke(id: string, options?: MutationOptions): Promise<void>;
}

export function authApi(http: Http): AuthApi {
  return {
    setup: (body, options) => http({ method: 'POST', path: ['api', 'auth', 'setup'], body, options }),
    login: (body, options) => http({ method: 'POST', path: ['api', 'auth', 'login'], body, options }),
    logout: (options) => http({ method: 'POST', path: ['api', 'auth', 'logout'], options }),
    me: (options) => http({ method: 'GET', path: ['api', 'auth', 'me'], options }),
  };
}

export function tokensApi(http: Http): TokensApi {
  return {
    create: (body, options) => http({ method: 'POST', path: ['api', 'tokens'], body, options }),
    list: (options) => http({ method: 'GET', path: ['api', 'tokens'], options }),
    revoke: (id, options) => http({ method: 'DELETE', path: ['api', 'tokens', id], options }),
  };
}
