/**
 * Formats a duration for people: `250ms`, `1.5s`, `10m`, `1h2m3s`. Seconds keep one decimal below
 * a minute's precision; zero parts are left out. Rounded up to the unit shown, so a positive
 * duration never reads `0ms`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  const whole = Math.ceil(ms);
  if (whole < 1000) return `${whole}ms`;
  const tenths = Math.ceil(ms / 100);
  const hours = Math.floor(tenths / 36_000);
  const minutes = Math.floor((tenths % 36_000) / 600);
  const seconds = (tenths % 600) / 10;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (seconds > 0) parts.push(`${seconds}s`);
  return parts.join('');
}
