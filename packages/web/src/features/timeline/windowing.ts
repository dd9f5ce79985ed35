/**
 * Which rows of a long list of fixed-height rows to draw: the ones in view and a few around them
 * (`overscan`), so 10,000 events cost the DOM a few dozen rows. Pure; `windowed-list.tsx` draws.
 */
export interface RowWindow {
  /** First row drawn (inclusive). */
  readonly start: number;
  /** Past the last row drawn (exclusive). */
  readonly end: number;
}

export function rowWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): RowWindow {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(Math.max(0, first - overscan), count);
  const end = Math.min(count, first + visible + overscan);
  return { start: Math.min(start, end), end };
}

/** Whether a list scrolled to `scrollTop` shows its end (it then follows new rows). */
export function atEnd(scrollTop: number, viewportHeight: number, contentHeight: number, slack = 4): boolean {
  return scrollTop + viewportHeight >= contentHeight - slack;
}
