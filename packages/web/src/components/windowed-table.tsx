/**
 * A long table drawn a window at a time: fixed-height rows, only those in view (and a few around
 * them) in the DOM, so 10,000 rows scroll without freezing the page. A table to assistive
 * technology (`aria-rowcount`, `aria-rowindex` on each row drawn); its scroller takes the focus so
 * the keyboard scrolls it. With `follow`, it stays at its end while rows arrive, as long as the
 * person has not scrolled away from the end.
 */
import { useLayoutEffect, useRef, useState, type ReactNode, type UIEvent } from 'react';
import { atEnd, rowWindow } from '../features/timeline/windowing.js';

interface WindowedTableProps<T> {
  readonly label: string;
  readonly items: readonly T[];
  readonly rowHeight: number;
  /** The header row's cells (`role="columnheader"` elements). */
  readonly header: ReactNode;
  readonly rowKey: (item: T) => string;
  /** A row's cells (`role="cell"` elements). */
  readonly cells: (item: T) => ReactNode;
  readonly rowProps?: (item: T) => Readonly<Record<string, string>>;
  readonly follow?: boolean;
  readonly className?: string;
  readonly empty: ReactNode;
}

export function WindowedTable<T>(props: WindowedTableProps<T>) {
  const {
    label,
    items,
    rowHeight,
    header,
    rowKey,
    cells,
    rowProps,
    follow = false,
    className,
    empty,
  } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null || !follow || !following.current) return;
    element.scrollTop = element.scrollHeight;
    setView({ top: element.scrollTop, height: element.clientHeight });
  }, [follow, items.length]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    following.current = atEnd(element.scrollTop, element.clientHeight, element.scrollHeight);
    setView({ top: element.scrollTop, height: element.clientHeight });
  };

  const { start, end } = rowWindow(view.top, view.height, rowHeight, items.length);
  return (
    <div
      ref={scroller}
      className={`windowed${className === undefined ? '' : ` ${className}`}`}
      tabIndex={0}
      role="region"
      aria-label={label}
      onScroll={onScroll}
    >
      <div role="table" aria-label={label} aria-rowcount={items.length + 1}>
        <div role="rowgroup" className="windowed-head">
          <div role="row" aria-rowindex={1} className="windowed-row" style={{ height: rowHeight }}>
            {header}
          </div>
        </div>
        <div role="rowgroup" className="windowed-rows" style={{ height: items.length * rowHeight }}>
          {items.slice(start, end).map((item, offset) => (
            <div
              key={rowKey(item)}
              role="row"
              aria-rowindex={start + offset + 2}
              className="windowed-row"
              style={{ top: (start + offset) * rowHeight, height: rowHeight }}
              {...rowProps?.(item)}
            >
              {cells(item)}
            </div>
          ))}
        </div>
      </div>
      {items.length === 0 ? <p className="hint windowed-empty">{empty}</p> : null}
    </div>
  );
}
