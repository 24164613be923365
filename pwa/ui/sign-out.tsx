/**
 * A collector's sign-out, guarded. Records still waiting to be sent block it: the panel says how
 * many and offers "Enviar agora" (the phone keeps them either way, but a collector who signs out
 * offline cannot sign in again until there is a connection, and another collector could not sign
 * in over them). With nothing waiting but no connection, it asks first, because signing in again
 * needs the internet. Loaded only when a collector taps "Sair".
 */
import { useEffect } from 'preact/hooks';
import { runtime, syncing, waiting } from '../app/collector';
import { online } from '../app/platform';
import { num } from '../i18n/format';
import { t } from '../i18n/messages';

/** Whether "Sair" may go ahead at once (nothing waiting and a connection to sign in again). */
export function mustAsk(): boolean {
  return waiting.value > 0 || !online.value;
}

export function SignOutGuard({
  onCancel,
  onSignOut,
}: {
  onCancel: () => void;
  onSignOut: () => void;
}) {
  const count = waiting.value;
  const rt = runtime.value;
  useEffect(() => {
    document.getElementById('signout-title')?.focus();
  }, []);
  return (
    <section
      class="signout notice"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="signout-title"
      aria-describedby="signout-text"
      data-testid="signout-guard"
    >
      <h2 id="signout-title" tabIndex={-1}>
        {count > 0
          ? t('signout.blockedTitle')
          : online.value
            ? t('signout.readyTitle')
            : t('signout.offlineTitle')}
      </h2>
      {count > 0 ? (
        <p id="signout-text" data-testid="signout-count">
          {t('signout.blocked').replace(
            '{count}',
            `${num(count)} ${t(count === 1 ? 'auth.deviceBusy.one' : 'auth.deviceBusy.many')}`,
          )}
        </p>
      ) : (
        <p id="signout-text">{online.value ? t('signout.ready') : t('signout.offline')}</p>
      )}
      <div class="row">
        {count > 0 ? (
          <button
            type="button"
            class="primary"
            disabled={!online.value || syncing.value || !rt}
            onClick={() => void rt?.engine.requestSync('manual')}
          >
            {syncing.value ? t('sync.syncing') : t('signout.sendNow')}
          </button>
        ) : (
          <button type="button" class={online.value ? 'primary' : ''} onClick={onSignOut}>
            {online.value ? t('auth.signOut') : t('signout.anyway')}
          </button>
        )}
        <button type="button" class={count > 0 || online.value ? '' : 'primary'} onClick={onCancel}>
          {t('signout.stay')}
        </button>
      </div>
      {count > 0 && !online.value ? <p class="small">{t('signout.needsConnection')}</p> : null}
    </section>
  );
}
