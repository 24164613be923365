import { useState } from 'preact/hooks';
import type { LoginResponse } from '#shared/auth/auth.schema';
import { api, errorMessage } from '../app/api';
import { online } from '../app/platform';
import { navigate } from '../app/router';
import { signInOnThisDevice } from '../app/session';
import '../i18n/messages-start';
import { t } from '../i18n/messages';

export function SignIn() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const res = await api<LoginResponse>('POST', '/api/auth/login', {
        json: {
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
        },
      });
      const refusal = await signInOnThisDevice(res);
      if (refusal) {
        setError(refusal);
        return;
      }
      navigate('/', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{t('auth.title')}</h1>
      <p class="muted">{t('app.tagline')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate={false}>
        <label for="email">{t('auth.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">{t('auth.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        {error ? (
          <p class="notice error" role="alert">
            {error}
          </p>
        ) : null}
        {!online.value ? <p class="notice">{t('auth.needsConnection')}</p> : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.wait') : t('auth.submit')}
        </button>
      </form>
    </section>
  );
}
