/**
 * `/entrar-com-codigo#quita_code_…`: the page a sign-in QR code opens on a phone. It reads the
 * one-time code from the fragment (never sent to the server as part of the address), shows whose
 * it is, and on a tap trades it for a session (`POST /api/auth/code`), claiming this phone for
 * the collector as a password sign-in would. The address bar loses the code right after. A
 * session already on the phone is replaced (and ended) only once the code has worked.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LoginResponse } from '#shared/auth/auth.schema';
import { codeFromFragment, type SignInCodeCheck } from '#shared/auth/sign-in-code.schema';
import { api, errorMessage } from '../app/api';
import { online } from '../app/platform';
import { navigate } from '../app/router';
import { session, signInOnThisDevice } from '../app/session';
import { t, type MessageKey } from '../i18n/messages';

async function endSession(token: string): Promise<void> {
  try {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    // Offline: that session simply expires; this phone no longer holds it.
  }
}

export function SignInCode() {
  // Read once: the fragment is dropped from the address as soon as the code is used.
  const [code] = useState(() => codeFromFragment(location.hash));
  const [check, setCheck] = useState<SignInCodeCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!code) return;
    api<SignInCodeCheck>('POST', '/api/auth/code/check', { json: { code } }).then(setCheck, (e) =>
      setError(errorMessage(e)),
    );
  }, [code]);
  const submit = async () => {
    if (!code) return;
    setBusy(true);
    setError(null);
    try {
      const before = session.value;
      const res = await api<LoginResponse>('POST', '/api/auth/code', { json: { code } });
      const refusal = await signInOnThisDevice(res);
      if (refusal) {
        setError(refusal);
        return;
      }
      if (before && before.token !== res.token) void endSession(before.token);
      navigate(res.user.role === 'collector' ? '/hoje' : '/', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const current = session.value;
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{t('access.title')}</h1>
      {!code ? (
        <p class="notice error" role="alert">
          {t('access.noCode')}
        </p>
      ) : null}
      {code && !check && !error ? (
        <p class="muted" role="status">
          {t('access.checking')}
        </p>
      ) : null}
      {check ? (
        <>
          {current && current.user.name !== check.name ? (
            <p class="small muted">
              {t('access.already')} {current.user.name}.
            </p>
          ) : null}
          <p data-testid="code-owner">
            {t('access.as')} <strong>{check.name}</strong> (
            {t(`access.role.${check.role}` as MessageKey) ?? check.role}).
          </p>
          <button
            type="button"
            class="primary"
            disabled={busy || !online.value}
            onClick={() => void submit()}
          >
            {busy ? t('common.wait') : t('access.submit')}
          </button>
          {!online.value ? <p class="notice">{t('auth.needsConnection')}</p> : null}
        </>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {error || !code ? (
        <p>
          <a href="/">{t('access.signInInstead')}</a>
        </p>
      ) : null}
    </section>
  );
}
