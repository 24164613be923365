/**
 * Dexie `liveQuery` → a @preact/signals signal. The query re-runs whenever a transaction touches
 * what it read (including writes from other tabs), and the signal takes each result.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import { liveQuery } from 'dexie';

export interface LiveSignal<T> {
  value: ReadonlySignal<T>;
  /** The last query error (e.g. the database was closed by a newer tab), or null. */
  error: ReadonlySignal<unknown>;
  dispose(): void;
}

/** Subscribes `query`; `initial` is shown until the first result. Call `dispose()` when done. */
export function liveSignal<T>(query: () => Promise<T>, initial: T): LiveSignal<T> {
  const value = signal<T>(initial);
  const error = signal<unknown>(null);
  const subscription = liveQuery(query).subscribe({
    next: (result) => {
      value.value = result;
      error.value = null;
    },
    error: (e: unknown) => {
      error.value = e;
    },
  });
  return { value, error, dispose: () => subscription.unsubscribe() };
}
