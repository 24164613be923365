/**
 * A windowed list of fixed-height rows that scrolls with the PAGE (no scroll box inside the page,
 * no empty box below a short list). The list is as tall as all its rows; only the rows in the
 * viewport (plus `overscan` each side) are in the DOM, placed by one transform. Per scroll frame
 * it re-renders only itself, and only when the first visible row changes; the window's <li>
 * elements are keyed by their place in the window, so scrolling rewrites their text instead of
 * creating and removing elements, and the DOM order stays the visual order (screen readers, tab
 * order). Layout is read once per animation frame, in the scroll/resize handler, never in render.
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
  const [height, setHeight] = useState(() => (typeof innerHeight === 'number' ? innerHeight : 640));

  useEffect(() => {
    let frame = 0;
    const measure = () => {
      frame = 0;
      const el = box.current;
      if (!el) return;
      // Rows scrolled above the viewport's top edge.
      const above = -el.getBoundingClientRect().top;
      setFirst(Math.max(0, Math.floor(above / rowHeight)));
      setHeight(innerHeight);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    addEventListener('scroll', schedule, { passive: true });
    addEventListener('resize', schedule);
    measure();
    return () => {
      removeEventListener('scroll', schedule);
      removeEventListener('resize', schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [rowHeight]);

  // A shorter list (a new filter) may leave `first` past its end until the browser's clamped
  // scroll comes back as a scroll event: render the last screenful meanwhile.
  const visible = Math.ceil(height / rowHeight);
  const top = Math.min(first, Math.max(0, items.length - visible));
  const from = Math.max(0, top - overscan);
  const to = Math.min(items.length, top + visible + overscan + 1);
  const slice = items.slice(from, to);

  return (
    <div
      ref={box}
      class={props.class ?? 'vlist'}
      role="region"
      aria-label={props.label}
      style={{ height: `${items.length * rowHeight}px` }}
    >
      <ul style={{ transform: `translateY(${from * rowHeight}px)` }}>
        {slice.map((item, i) => (
          <li key={i} class="vrow">
            {props.renderRow(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}
