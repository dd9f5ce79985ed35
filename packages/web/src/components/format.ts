/** Formats the UI shares: money, times, token counts. */

const usd = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

/** `$0.0123`, `—` when unknown (a model without a price, or not read yet). */
export function formatCost(costUsd: number | null | undefined): string {
  return costUsd === null || costUsd === undefined ? '—' : usd.format(costUsd);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** `12 s ago`, `3 min ago`, `2 days ago`, from ISO 8601 and the current time. */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** The full local time, for a tooltip or `<time title>`. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
