/** Toolbar popup: today's queue (whom to message, on which channel) and a debtor search. */
import { render } from 'preact';
import { signal } from '@preact/signals';
import { t } from '../i18n';
import { ask, channelLabel, stepLabel } from './format';

interface QueueItem {
  debtor: { id: string; name: string };
  step: { id: string; channel: string };
}
/** Names only: the popup can be open on a shared screen. */
interface SearchItem {
  id: string;
  name: string;
}

const queue = signal<QueueItem[] | null>(null);
const results = signal<SearchItem[] | null>(null);
const error = signal('');

async function loadQueue(): Promise<void> {
  try {
    queue.value = (await ask<{ items: QueueItem[] }>({ type: 'queue' })).items;
  } catch (e) {
    error.value = e instanceof Error ? e.message : String(e);
  }
}

async function search(event: Event): Promise<void> {
  event.preventDefault();
  const query = String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '');
  try {
    results.value = (await ask<{ items: SearchItem[] }>({ type: 'search', query })).items;
  } catch (e) {
    error.value = e instanceof Error ? e.message : String(e);
  }
}

function Popup() {
  return (
    <main style="width: 320px">
      <h1>{t('popup.title')}</h1>
      {error.value && <p class="note warn">{error.value}</p>}
      {queue.value && queue.value.length === 0 && <p>{t('popup.empty')}</p>}
      <ul data-queue>
        {(queue.value ?? []).map((item) => (
          <li key={`${item.debtor.id}:${item.step.id}`}>
            <strong>{item.debtor.name}</strong> · {stepLabel(item.step.id)} ·{' '}
            {channelLabel(item.step.channel)}
          </li>
        ))}
      </ul>
      <h2>{t('popup.search')}</h2>
      <form onSubmit={(e) => void search(e)}>
        <input name="q" placeholder={t('popup.searchPlaceholder')} />
      </form>
      {results.value && results.value.length === 0 && <p>{t('popup.noResults')}</p>}
      <ul data-results>
        {(results.value ?? []).map((r) => (
          <li key={r.id}>
            <strong>{r.name}</strong>
          </li>
        ))}
      </ul>
    </main>
  );
}

void loadQueue();
const root = document.getElementById('root');
if (root) render(<Popup />, root);
