/**
 * The collector's sync line, on every screen: connection, items waiting, last successful sync and
 * the items the server refused (with its reason), plus the first sync's progress bar.
 */
import {
  firstSync,
  lastSyncError,
  runtime,
  runtimeError,
  syncing,
  upgradeRequired,
} from '../app/collector';
import { updateReady } from '../app/platform';
import { useEffect, useState } from 'preact/hooks';
import { dateTime, num, shortDateTime } from '../i18n/format';
import type { RejectedList as RejectedListType } from './rejected-list';
import { t } from '../i18n/messages';
import type { RejectedItem } from '../models/merge';
import './collector.css';

/** The refused records' list, loaded the first time there is one (./rejected-list.tsx). */
function Rejected({ items }: { items: readonly RejectedItem[] }) {
  const [list, setList] = useState<{ C: typeof RejectedListType } | null>(null);
  useEffect(() => {
    let live = true;
    void import('./rejected-list').then((m) => live && setList({ C: m.RejectedList }));
    return () => {
      live = false;
    };
  }, []);
  return list ? <list.C items={items} /> : null;
}

export function SyncIndicator() {
  const rt = runtime.value;
  if (runtimeError.value)
    return (
      <p class="notice error" role="alert">
        {t('sync.dbError')} {runtimeError.value}
      </p>
    );
  if (!rt) return null;
  const s = rt.status.value;
  const first = firstSync.value;
  const last = s.lastPullOkAt ?? s.lastPushOkAt;
  return (
    <section class="syncbar" aria-label={t('sync.details')} data-testid="sync-indicator">
      <div class="syncline">
        <span class={`pill ${s.online ? 'on' : 'off'}`}>
          {s.online ? t('sync.online') : t('sync.offline')}
        </span>
        <span data-testid="sync-waiting" class={s.pending > 0 ? 'waiting' : 'muted'}>
          {s.pending > 0 ? `${num(s.pending)} ${t('sync.waiting')}` : t('sync.allSent')}
        </span>
        <span
          class="muted"
          data-testid="sync-last"
          title={`${t('sync.lastOk')}: ${last ? dateTime(last) : t('sync.never')}`}
        >
          {last ? shortDateTime(last, t('sync.at'), t('sync.on')) : t('sync.neverShort')}
        </span>
        <button
          type="button"
          class="link small"
          aria-label={t('sync.now')}
          aria-busy={syncing.value && s.online}
          title={syncing.value && s.online ? t('sync.syncing') : t('sync.now')}
          disabled={!s.online || syncing.value}
          onClick={() => void rt.engine.requestSync('manual')}
        >
          <span aria-hidden="true" class={syncing.value && s.online ? 'spin' : ''}>
            ↻
          </span>
        </button>
      </div>
      {first ? (
        <div class="first-sync" role="status">
          <label for="first-sync">{t('sync.first')}</label>
          <progress id="first-sync" data-testid="first-sync" />
          <span class="small">
            {num(first.changes)} {t('sync.firstCount')}
          </span>
        </div>
      ) : null}
      {upgradeRequired.value && !updateReady.value ? (
        <p class="notice" role="status" data-testid="upgrade-required">
          {t('sync.upgradeRequired')}
        </p>
      ) : null}
      {lastSyncError.value && s.online ? (
        <p class="small error-text">
          {t('sync.error')}: {lastSyncError.value}
        </p>
      ) : null}
      {s.rejected.length > 0 ? <Rejected items={s.rejected} /> : null}
    </section>
  );
}
