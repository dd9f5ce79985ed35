/**
 * Fault injection for the crash tests (never set it in production): `BATON_FAULT=<point>:<n>` makes
 * this process kill itself with SIGKILL the n-th time it reaches `<point>`:
 * - `after-append`: inside a store transaction, after its events are written, before COMMIT;
 * - `after-commit`: after a transition committed, before the driver acts on it.
 */
type FaultPoint = 'after-append' | 'after-commit';

export interface FaultInjector {
  /** Counts a visit to `point`; kills the process when it is the chosen one. */
  hit(point: FaultPoint): void;
}

/** Reads `BATON_FAULT`; without it, `hit` does nothing. A malformed value is reported and ignored. */
export function faultInjector(env: NodeJS.ProcessEnv = process.env): FaultInjector {
  const spec = env.BATON_FAULT;
  if (spec === undefined || spec === '') return { hit: () => undefined };
  const match = /^(after-append|after-commit):(\d+)$/.exec(spec);
  if (match === null) {
    process.stderr.write(`ignoring BATON_FAULT="${spec}": expected after-append:N or after-commit:N\n`);
    return { hit: () => undefined };
  }
  const point = match[1] as FaultPoint;
  let remaining = Number(match[2]);
  return {
    hit(at) {
      if (at !== point) return;
      remaining -= 1;
      if (remaining === 0) process.kill(process.pid, 'SIGKILL');
    },
  };
}
