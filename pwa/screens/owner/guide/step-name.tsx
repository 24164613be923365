/** Step 1: the owner's own name (the one from QUITA_OWNER_EMAIL was a guess from the address). */
import { useState } from 'preact/hooks';
import type { User } from '#shared/auth/user.schema';
import { api, errorMessage } from '../../../app/api';
import { session, signIn } from '../../../app/session';
import { t } from '../../../i18n/messages';
import type { StepProps } from './steps';

export function NameStep({ done, onSaved, skipButton }: StepProps) {
  const [name, setName] = useState(session.value?.user.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api<User>('POST', '/api/onboarding/name', { json: { name } });
      const s = session.value;
      // The header and the home greeting read the session: keep it in step.
      if (s) signIn({ ...s, user: { ...s.user, name: user.name } });
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <h2 tabIndex={-1}>{t('guide.name.title')}</h2>
      <p>{t('guide.name.text')}</p>
      {done ? <p class="notice ok small">{t('guide.doneNote')}</p> : null}
      <label for="guide-name">{t('guide.name.label')}</label>
      <input
        id="guide-name"
        autocomplete="name"
        required
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="guide-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.wait') : t('guide.saveNext')}
        </button>
        {skipButton}
      </div>
    </form>
  );
}
