/**
 * One global "unsaved changes" flag. Forms set it while they hold edits; the service-worker
 * update prompt and the router refuse to throw those edits away while it is set. Several forms
 * can be open on one screen, so the flag is true while ANY of them is dirty.
 */
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

export const dirty = signal(false);
const holders = new Set<object>();

function publish(): void {
  dirty.value = holders.size > 0;
}

/** The user chose to leave: every open form's edits are abandoned. */
export function clearDirty(): void {
  holders.clear();
  publish();
}

/** Marks the page dirty while `isDirty` is true; a form going away releases its mark. */
export function useDirty(isDirty: boolean): void {
  const token = useRef({});
  useEffect(() => {
    if (isDirty) holders.add(token.current);
    else holders.delete(token.current);
    publish();
  }, [isDirty]);
  useEffect(
    () => () => {
      holders.delete(token.current);
      publish();
    },
    [],
  );
}

addEventListener('beforeunload', (event) => {
  if (dirty.value) event.preventDefault();
});
