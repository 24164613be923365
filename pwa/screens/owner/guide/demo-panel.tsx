/**
 * The demo, from the app: "Carregar dados de exemplo" on an organisation without debtors
 * (`POST /api/demo`), and afterwards the demo's collectors, each with its sign-in QR code (the
 * app never shows or keeps their passwords).
 */
import { useState } from 'preact/hooks';
import type { OnboardingStatus } from '#shared/onboarding/onboarding.schema';
import { api, errorMessage } from '../../../app/api';
import { t } from '../../../i18n/messages';
import { SignInQr } from './sign-in-qr';

export function DemoOffer({ onLoaded }: { onLoaded: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/demo', { json: {} });
      onLoaded();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="setup-card" aria-labelledby="demo-title" data-testid="demo-offer">
      <h2 id="demo-title">{t('guide.demo.title')}</h2>
      <p>{t('guide.demo.text')}</p>
      <button type="button" disabled={busy} onClick={() => void load()}>
        {t('guide.demo.load')}
      </button>
      {busy ? (
        <p class="muted" role="status">
          {t('guide.demo.loading')}
        </p>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

export function DemoCollectors({ demo }: { demo: OnboardingStatus['demo'] }) {
  if (!demo.loaded || demo.collectors.length === 0) return null;
  return (
    <section class="setup-card" aria-labelledby="demo-people" data-testid="demo-collectors">
      <h2 id="demo-people">{t('guide.demo.loaded')}</h2>
      <p>{t('guide.demo.collectors')}</p>
      <ul class="person-qr">
        {demo.collectors.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong> <span class="small muted">{c.email}</span>
            <SignInQr userId={c.id} name={c.name} />
          </li>
        ))}
      </ul>
    </section>
  );
}
