/** Loading / failure states shared by the screens that fetch from the server. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../app/api';
import { online } from '../app/platform';
import { t } from '../i18n/messages';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string; status: number }
  | { state: 'ready'; value: T };

/** Runs `load` on mount (and on `reload()`); the screen renders each state. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setValue({ state: 'loading' });
    load().then(
      (v) => live && setValue({ state: 'ready', value: v }),
      (e: unknown) =>
        live &&
        setValue({
          state: 'error',
          message: errorMessage(e),
          status: typeof e === 'object' && e && 'status' in e ? Number(e.status) : 0,
        }),
    );
    return () => {
      live = false;
    };
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [value, reload] as const;
}

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function Failure({ message, retry }: { message: string; retry?: () => void }) {
  return (
    <div class="notice error" role="alert">
      <p>{online.value ? message : t('owner.needsConnection')}</p>
      {retry ? (
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
