/**
 * `/redefinir-senha#quita_reset_…`: the one-time link an owner gave a person. The secret is in
 * the fragment (never sent in a request line, never in a server log); the page checks it, says
 * whose password is being set, and sets the new one (checked as typed and by the server). A used,
 * expired or unknown link says so in words.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../app/api';
import { t } from '../i18n/messages';
import { PasswordField } from './owner/desk/password-field';

type State =
  | { kind: 'checking' }
  | { kind: 'bad'; message: string }
  | { kind: 'ready'; name: string; email: string }
  | { kind: 'done' };

export function ResetPassword() {
  // Read once: the address loses its fragment after use (so a shared screen shows no secret).
  const [token] = useState(() => location.hash.replace(/^#/, ''));
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!token) {
      setState({ kind: 'bad', message: t('reset.noToken') });
      return;
    }
    api<{ name: string; email: string }>('POST', '/api/password-reset/check', {
      json: { token },
    }).then(
      (r) => setState({ kind: 'ready', name: r.name, email: r.email }),
      (e: unknown) => setState({ kind: 'bad', message: errorMessage(e) }),
    );
  }, [token]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== confirm) return setError(t('reset.mismatch'));
    setError(null);
    try {
      await api('POST', '/api/password-reset', { json: { token, password } });
      history.replaceState(null, '', '/redefinir-senha');
      setState({ kind: 'done' });
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{t('reset.title')}</h1>
      {state.kind === 'checking' ? (
        <p class="muted" role="status">
          {t('reset.checking')}
        </p>
      ) : null}
      {state.kind === 'bad' ? (
        <p class="notice error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <>
          <p class="notice ok" role="status">
            {t('reset.done')}
          </p>
          <p>
            <a href="/entrar">{t('reset.signIn')}</a>
          </p>
        </>
      ) : null}
      {state.kind === 'ready' ? (
        <form onSubmit={(e) => void submit(e)}>
          <p>
            {t('reset.for')} <strong>{state.name}</strong> ({state.email}).
          </p>
          <PasswordField
            id="reset-password"
            label={t('reset.password')}
            hint={t('people.passwordHint')}
            value={password}
            onInput={setPassword}
            personal={[state.name, state.email]}
          />
          <label for="reset-confirm">{t('reset.confirm')}</label>
          <input
            id="reset-confirm"
            type="password"
            autocomplete="new-password"
            value={confirm}
            onInput={(e) => setConfirm(e.currentTarget.value)}
          />
          <button type="submit" class="primary">
            {t('reset.submit')}
          </button>
          {error ? (
            <p class="notice error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
