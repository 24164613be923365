/**
 * A windowed list of fixed-height rows in a scroll box. Per scroll frame it re-renders only
 * itself, and only when the first visible row changes; the window's <li> elements are keyed by
 * their place in the window, so scrolling rewrites their text instead of creating and removing
 * elements, and the DOM order stays the visual order (screen readers, tab order). Its height is
 * observed, never read during a render (no forced layout).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  label: string;
  renderRow: (item: T) => ComponentChildren;
  class?: string;
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, overscan = 4 } = props;
  const box = useRef<HTMLDivElement>(null);
  const [first, setFirst] = useState(0);
  const [height, setHeight] = useState(480);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight || 480);
    const observer = new ResizeObserver((entries) => {
      const h = entries[0]?.contentRect.height;
      if (h) setHeight(h);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A shorter list (a new filter) may leave `first` past its end until the browser's clamped
  // scrollTop comes back as a scroll event: render the last screenful meanwhile.
  const visible = Math.ceil(height / rowHeight);
  const top = Math.min(first, Math.max(0, items.length - visible));
  const from = Math.max(0, top - overscan);
  const to = Math.min(items.length, top + visible + overscan + 1);
  const slice = items.slice(from, to);

  return (
    <div
      ref={box}
      class={props.class ?? 'vlist'}
      tabIndex={0}
      role="region"
      aria-label={props.label}
      onScroll={(e) => {
        const next = Math.floor(e.currentTarget.scrollTop / rowHeight);
        if (next !== first) setFirst(next);
      }}
    >
      <div style={{ height: `${items.length * rowHeight}px` }} />
      <ul style={{ transform: `translateY(${from * rowHeight}px)`, top: 0 }}>
        {slice.map((item, i) => (
          <li key={i} class="vrow">
            {props.renderRow(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}
