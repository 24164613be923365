/** `/setup?token=…`: the one-time link the server prints on first start creates the first owner. */
import { useState } from 'preact/hooks';
import type { LoginResponse } from '#shared/auth/auth.schema';
import { api, errorMessage } from '../app/api';
import { navigate, query } from '../app/router';
import { signIn } from '../app/session';
import { GUIDE_PATH } from './owner/guide/guide-path';
import '../i18n/messages-start';
import { t } from '../i18n/messages';

export function Setup() {
  const token = query.value.get('token') ?? '';
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!token)
    return (
      <section class="narrow">
        <h1 tabIndex={-1}>{t('setup.title')}</h1>
        <p class="notice error" role="alert">
          {t('setup.noToken')}
        </p>
      </section>
    );
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      setError(t('setup.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api<LoginResponse>('POST', '/api/setup', {
        json: {
          token,
          name: String(form.get('name') ?? ''),
          email: String(form.get('email') ?? ''),
          password,
        },
      });
      signIn(res);
      // A brand-new owner continues with the first-run guide (creditor, PIX, collector, file).
      navigate(GUIDE_PATH, { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label for="name">{t('setup.name')}</label>
        <input id="name" name="name" autocomplete="name" required />
        <label for="email">{t('auth.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">{t('auth.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minLength={10}
          required
          aria-describedby="password-hint"
        />
        <p id="password-hint" class="small muted">
          {t('setup.passwordHint')}
        </p>
        <label for="confirm">{t('setup.confirm')}</label>
        <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
        {error ? (
          <p class="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.wait') : t('setup.submit')}
        </button>
      </form>
    </section>
  );
}
