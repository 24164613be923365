import type { ComponentChildren } from 'preact';

/**
 * A horizontally scrollable table container. It takes focus so keyboard users can scroll it at
 * 360px (axe: scrollable-region-focusable), and is a named region so the focus stop makes sense.
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
