import { render } from 'preact';
import { signal } from '@preact/signals';
import { t } from './i18n/messages';

const health = signal<{ status: string; database: string; version: string } | null>(null);
const failed = signal(false);

fetch('/api/health')
  .then(async (res) => {
    health.value = (await res.json()) as { status: string; database: string; version: string };
  })
  .catch(() => {
    failed.value = true;
  });

function App() {
  return (
    <main>
      <h1>{t('app.name')}</h1>
      <p>{t('app.tagline')}</p>
      <p>
        {t('home.serverStatus')}:{' '}
        {health.value ? t('home.online') : failed.value ? t('home.offline') : '…'}
        {health.value ? ` · ${t('home.database')}: ${health.value.database}` : ''}
      </p>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
