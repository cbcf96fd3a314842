// A virtualised list of fixed-height rows: only the rows in (and just around) the viewport are in the
// DOM, so 10,000 rows scroll like 20. It knows nothing of what a row is: the caller renders row `i`.
// The scroll box is its own focusable region; `scrollToIndex` keeps a keyboard cursor in view, and
// `onRangeChange` tells the caller which rows are visible (to load the next page in time).
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** The rows to render: those in the viewport plus `overscan` on each side, clamped to the list. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, headerHeight: number, overscan: number, count: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor((scrollTop - headerHeight) / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop - headerHeight + viewport) / rowHeight) + overscan);
  return { first, last };
}

export interface VirtualListHandle {
  scrollToIndex(index: number): void;
  element(): HTMLDivElement | null;
}

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Extra rows rendered above and below the viewport. */
  overscan?: number;
  /** Height of the scroll box (CSS length); it scrolls inside the page. */
  height: string;
  renderRow: (index: number, style: { position: 'absolute'; top: number; height: number; left: 0; right: 0 }) => ReactNode;
  onRangeChange?: (first: number, last: number) => void;
  /** Attributes for the scroll box (role, aria-*). */
  label: string;
  role?: string;
  /** A sticky header inside the scroll box, `headerHeight` px tall. */
  header?: ReactNode;
  headerHeight?: number;
  className?: string;
  ariaRowCount?: number;
}

export const VirtualList = forwardRef<VirtualListHandle, VirtualListProps>(function VirtualList(
  { count, rowHeight, overscan = 8, height, renderRow, onRangeChange, label, role, header, headerHeight = 0, className, ariaRowCount },
  ref,
) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const frame = useRef<number | undefined>(undefined);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const resize = new ResizeObserver(() => setViewport(el.clientHeight));
    resize.observe(el);
    return () => resize.disconnect();
  }, []);

  // One state update per animation frame however many scroll events arrive.
  const onScroll = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      if (box.current) setScrollTop(box.current.scrollTop);
    });
  }, []);
  useEffect(() => () => (frame.current === undefined ? undefined : cancelAnimationFrame(frame.current)), []);

  const { first, last } = visibleRange(scrollTop, viewport, rowHeight, headerHeight, overscan, count);

  useEffect(() => {
    if (count > 0) onRangeChange?.(first, last);
  }, [first, last, count, onRangeChange]);

  useImperativeHandle(
    ref,
    () => ({
      element: () => box.current,
      scrollToIndex(index: number) {
        const el = box.current;
        if (!el) return;
        const top = headerHeight + index * rowHeight;
        if (top < el.scrollTop + headerHeight) el.scrollTop = top - headerHeight;
        else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
      },
    }),
    [rowHeight, headerHeight],
  );

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) rows.push(renderRow(i, { position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }));
  return (
    <div ref={box} className={`virtual-list ${className ?? ''}`} style={{ height, overflowY: 'auto', position: 'relative' }} onScroll={onScroll} tabIndex={0} aria-label={label} role={role} aria-rowcount={ariaRowCount}>
      {header}
      <div role={role === 'table' || role === 'grid' ? 'rowgroup' : undefined} style={{ position: 'relative', height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
});
