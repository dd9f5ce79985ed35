/** Answers of the public and small routes: health, readiness, environments. */

/** `GET /health`. */
export interface Health {
  readonly status: 'ok';
}

/** `GET /ready` (a server that is not ready answers 503 `NOT_READY`, thrown). */
export interface Ready {
  readonly status: 'ready';
}

/** Where tool phases run (`GET /api/environments`). */
export interface Environment {
  readonly id: string;
  readonly description: string;
  readonly default: boolean;
}

export interface EnvironmentList {
  readonly environments: readonly Environment[];
}
