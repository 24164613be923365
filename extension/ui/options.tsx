/**
 * Options: the Quita server's address and sign-in. The password goes to the worker once, which
 * exchanges it for a personal API token (scope `extension`) and keeps only the token (in storage
 * content scripts cannot read). Host access to the server is requested here, on the user's click.
 * Signing out says whether the token was revoked on the server or will be at the next chance.
 */
import { render } from 'preact';
import { signal } from '@preact/signals';
import { t } from '../i18n';
import { ask, timeBR } from './format';

type Status = ({ signedIn: true; name: string; server: string } | { signedIn: false }) & {
  pendingSince: number | null;
  revokedNow: number;
};

const status = signal<Status | null>(null);
const message = signal('');

async function refresh(): Promise<void> {
  status.value = await ask<Status>({ type: 'status' });
  // Opening this page retried a pending revocation: say so when it went through.
  if (status.value.revokedNow > 0) message.value = t('options.revocationDone');
}

async function signIn(event: Event): Promise<void> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const serverUrl = String(data.get('server') ?? '').trim();
  message.value = '';
  try {
    const origin = new URL(serverUrl).origin;
    const origins = [`${origin}/*`];
    // Must run inside the click's user gesture, before any await.
    const granted = await chrome.permissions
      .request({ origins })
      .catch(() => chrome.permissions.contains({ origins }));
    if (!granted) throw new Error(t('error.permission', { origin }));
    await ask({
      type: 'sign-in',
      serverUrl,
      email: String(data.get('email') ?? ''),
      password: String(data.get('password') ?? ''),
    });
    form.reset();
    await refresh();
  } catch (error) {
    message.value = error instanceof Error ? error.message : String(error);
  }
}

async function signOut(): Promise<void> {
  try {
    const { revoked } = await ask<{ revoked: boolean }>({ type: 'sign-out' });
    await refresh();
    message.value = t(revoked ? 'options.signedOutRevoked' : 'options.signedOutPending');
  } catch (error) {
    message.value = error instanceof Error ? error.message : String(error);
  }
}

async function retryRevocation(): Promise<void> {
  const { pending } = await ask<{ pending: number }>({ type: 'retry-revocation' });
  await refresh();
  if (pending === 0) message.value = t('options.revocationDone');
}

function Options() {
  const s = status.value;
  return (
    <main>
      <h1>{t('options.title')}</h1>
      <p data-session>
        {s?.signedIn
          ? t('options.signedInAs', { name: s.name, server: s.server })
          : t('options.signedOut')}
      </p>
      {s?.signedIn ? (
        <button type="button" onClick={() => void signOut()}>
          {t('options.signOut')}
        </button>
      ) : (
        <form onSubmit={(e) => void signIn(e)}>
          <label>
            {t('options.server')}
            <input
              name="server"
              type="url"
              required
              placeholder="https://quita.suaempresa.com.br"
            />
          </label>
          <label>
            {t('options.email')}
            <input name="email" type="email" required autocomplete="username" />
          </label>
          <label>
            {t('options.password')}
            <input name="password" type="password" required autocomplete="current-password" />
          </label>
          <button type="submit">{t('options.signIn')}</button>
        </form>
      )}
      <p class="status" role="status" data-message>
        {message.value}
      </p>
      {s?.pendingSince != null && (
        <p class="note warn" data-pending>
          {t('options.pending', { time: timeBR(s.pendingSince) })}{' '}
          <button type="button" class="secondary" onClick={() => void retryRevocation()}>
            {t('options.retryRevocation')}
          </button>
        </p>
      )}
      <p class="note">{t('options.tokenNote')}</p>
    </main>
  );
}

void refresh();
const root = document.getElementById('root');
if (root) render(<Options />, root);
