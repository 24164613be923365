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
import { dateTime, num, shortDateTime } from '../i18n/format';
import { reasonText, t, typeLabel } from '../i18n/messages';
import './collector.css';

export { reasonText, typeLabel };

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
      {s.rejected.length > 0 ? (
        <details class="rejected" data-testid="sync-rejected" open>
          <summary>
            {num(s.rejected.length)} {t('sync.rejected')}
          </summary>
          <ul>
            {s.rejected.map((r) => (
              <li key={r.mutation_id}>
                <a href={`/cliente?id=${encodeURIComponent(r.debtor_id)}`}>{typeLabel(r.type)}</a>:{' '}
                {reasonText(r.reason)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
