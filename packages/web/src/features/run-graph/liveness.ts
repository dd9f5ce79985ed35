/**
 * How long a phase has run and whether it still shows signs of life — the graph's answer to a
 * wedged agent that looks like a working one. A running attempt whose last activity (heartbeat,
 * progress) is older than {@link STALL_MS} is **stalled**. Pure: the time comes in as `now`.
 */
import type { PhaseDetails } from '../../store/run-facts.js';

/** Without a sign of life for this long, a running attempt reads as stalled. */
export const STALL_MS = 60_000;

export interface Liveness {
  /** How long the latest attempt ran (to `now` while it runs); absent before it starts. */
  readonly elapsedMs?: number;
  /** Running only: how long ago it last showed activity. */
  readonly quietMs?: number;
  readonly stalled: boolean;
}

export function liveness(status: string, details: PhaseDetails | undefined, now: number): Liveness {
  const started = details?.startedAt;
  if (started === undefined) return { stalled: false };
  const running = status === 'running';
  const end = running ? now : (details?.endedAt ?? now);
  const elapsedMs = Math.max(0, end - started);
  if (!running) return { elapsedMs, stalled: false };
  const quietMs = Math.max(0, now - (details?.lastActivityAt ?? started));
  return { elapsedMs, quietMs, stalled: quietMs >= STALL_MS };
}

/** `45 s`, `3 min 05 s`, `2 h 04 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
