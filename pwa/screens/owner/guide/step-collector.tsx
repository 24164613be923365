/**
 * Step 4: the first collector. The owner types a name and an e-mail (the user name); the password
 * is a random one nobody needs to know (the server checks it like any other): the collector's
 * phone is signed in by the QR code shown right after, and a password, if ever wanted, comes from
 * a reset link in Pessoas. Collectors already there are listed, each with its QR.
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../../app/api';
import { t } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { SignInQr } from './sign-in-qr';
import type { StepProps } from './steps';

interface Person {
  id: string;
  name: string;
  email: string;
  role: string;
  active: boolean;
}

/** 24 characters from a 56-letter alphabet (~139 bits): nobody types it, nothing guesses it. */
export function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function CollectorStep({ done, onSaved, refresh, skipButton }: StepProps) {
  const [people, reload] = useLoad(() => api<Person[]>('GET', '/api/users'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const [adding, setAdding] = useState(!done);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api<Person>('POST', '/api/users', {
        json: { name, email, role: 'collector', password: randomPassword() },
      });
      setAdded(created.id);
      setName('');
      setEmail('');
      setAdding(false);
      reload();
      refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const collectors =
    people.state === 'ready' ? people.value.filter((p) => p.role === 'collector' && p.active) : [];
  return (
    <div>
      <h2 tabIndex={-1}>{t('guide.collector.title')}</h2>
      <p>{t('guide.collector.text')}</p>
      {added ? (
        <p class="notice ok" role="status">
          {t('guide.collector.added')}
        </p>
      ) : null}
      {people.state === 'loading' ? <Loading /> : null}
      {people.state === 'error' ? <Failure message={people.message} retry={reload} /> : null}
      {collectors.length > 0 ? (
        <>
          <h3>{t('guide.collector.list')}</h3>
          <ul class="person-qr">
            {collectors.map((c) => (
              <li key={c.id} data-testid={`collector-${c.email}`}>
                <strong>{c.name}</strong> <span class="small muted">{c.email}</span>
                <SignInQr userId={c.id} name={c.name} autoShow={c.id === added} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {adding ? (
        <form onSubmit={(e) => void submit(e)}>
          <div class="guide-form-grid">
            <div class="w3">
              <label for="gc-name">{t('guide.collector.name')}</label>
              <input
                id="gc-name"
                required
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            </div>
            <div class="w3">
              <label for="gc-email">{t('guide.collector.email')}</label>
              <input
                id="gc-email"
                type="email"
                required
                autocomplete="off"
                aria-describedby="gc-email-hint"
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </div>
          </div>
          <p id="gc-email-hint" class="small muted">
            {t('guide.collector.emailHint')}
          </p>
          {error ? (
            <p class="notice error" role="alert">
              {error}
            </p>
          ) : null}
          <div class="guide-actions">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? t('common.wait') : t('guide.collector.add')}
            </button>
            {done ? null : skipButton}
          </div>
        </form>
      ) : (
        <div class="guide-actions">
          <button type="button" class="primary" onClick={onSaved}>
            {t('guide.next')}
          </button>
          <button type="button" onClick={() => setAdding(true)}>
            {t('guide.collector.another')}
          </button>
        </div>
      )}
    </div>
  );
}
