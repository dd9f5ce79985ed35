/**
 * A duration as the CLI prints it: `850ms`, `4.2s`, `3m05s`. Rounded up to the unit shown, so a
 * positive duration never reads `0ms` (a retry 0.4 ms away is `1ms` away); zero or less is `0ms`.
 */
export function formatMs(ms: number): string {
  if (!(ms > 0)) return '0ms';
  const whole = Math.ceil(ms);
  if (whole < 1000) return `${whole}ms`;
  const tenths = Math.ceil(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
