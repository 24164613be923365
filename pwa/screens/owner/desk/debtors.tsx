/**
 * Devedores (owner and staff): search every debtor by name, CPF/CNPJ, phone, e-mail or code
 * (accents and case do not matter), filter by situation, régua stage, collector or "no
 * collector", and walk the results in keyset pages ("Mais resultados"). The filters live in the
 * address, so going back from a debtor's page returns to the same list.
 */
import { useEffect, useState } from 'preact/hooks';
import { DebtorStatuses } from '#shared/api/ledger.schema';
import { DebtorStages } from '#shared/cadence/debtor-stage';
import { formatDocument } from '#shared/identity/document';
import { api, errorMessage } from '../../../app/api';
import { navigate, query } from '../../../app/router';
import { brl, num } from '../../../i18n/format';
import { t } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { word } from './story';
import './desk.css';

interface Item {
  id: string;
  name: string;
  document: string | null;
  city: string | null;
  state: string | null;
  status: string;
  stage: string;
  totalDue: number;
  daysOverdue: number;
  collector: { id: string; name: string } | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}
interface UserItem {
  id: string;
  name: string;
  role: string;
  active: boolean;
}

const FILTERS = ['q', 'status', 'stage', 'collector', 'unassigned'] as const;

/** A document as people write it; alphanumeric or odd ones as stored. */
export function shownDocument(doc: string | null): string {
  if (!doc) return t('desk.noDocument');
  try {
    return formatDocument(doc as Parameters<typeof formatDocument>[0]);
  } catch {
    return doc;
  }
}

export function Debtors() {
  const params = query.value;
  const current = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const [form, setForm] = useState(current);
  useEffect(() => setForm(current), [params.toString()]);
  const [users] = useLoad(() => api<UserItem[]>('GET', '/api/users').catch(() => []));
  const collectors =
    users.state === 'ready' ? users.value.filter((u) => u.role === 'collector') : [];
  const search = new URLSearchParams();
  for (const k of FILTERS) if (current[k]) search.set(k, current[k]);
  search.set('limit', '25');
  const [first, reload] = useLoad(
    () => api<Page>('GET', `/api/debtors?${search}`),
    [search.toString()],
  );
  const [more, setMore] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => {
    setMore([]);
    setCursor(first.state === 'ready' ? first.value.nextCursor : null);
  }, [first]);

  const submit = (e: Event) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const k of FILTERS) if (form[k]) next.set(k, form[k]);
    navigate(`/devedores${next.size > 0 ? `?${next}` : ''}`, { replace: true });
  };
  const loadMore = async () => {
    if (!cursor) return;
    setMoreError(null);
    try {
      const page = await api<Page>('GET', `/api/debtors?${search}&cursor=${cursor}`);
      setMore((m) => [...m, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setMoreError(errorMessage(err));
    }
  };
  const set = (k: (typeof FILTERS)[number], v: string) => setForm({ ...form, [k]: v });
  const items = first.state === 'ready' ? [...first.value.items, ...more] : [];

  return (
    <section class="desk">
      <h1 tabIndex={-1}>{t('desk.search.title')}</h1>
      <form class="desk-filters" role="search" onSubmit={submit}>
        <div class="field wide">
          <label for="desk-q">{t('desk.search.q')}</label>
          <input
            id="desk-q"
            type="search"
            value={form.q}
            onInput={(e) => set('q', e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="desk-status">{t('desk.search.status')}</label>
          <select
            id="desk-status"
            value={form.status}
            onChange={(e) => set('status', e.currentTarget.value)}
          >
            <option value="">{t('desk.search.any')}</option>
            {DebtorStatuses.map((s) => (
              <option key={s} value={s}>
                {word('status', s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="desk-stage">{t('desk.search.stage')}</label>
          <select
            id="desk-stage"
            value={form.stage}
            onChange={(e) => set('stage', e.currentTarget.value)}
          >
            <option value="">{t('desk.search.any')}</option>
            {DebtorStages.map((s) => (
              <option key={s} value={s}>
                {word('stage', s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="desk-collector">{t('desk.search.collector')}</label>
          <select
            id="desk-collector"
            value={form.collector}
            disabled={form.unassigned === '1'}
            onChange={(e) => set('collector', e.currentTarget.value)}
          >
            <option value="">{t('desk.search.anyone')}</option>
            {collectors.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={form.unassigned === '1'}
            onChange={(e) =>
              setForm({ ...form, unassigned: e.currentTarget.checked ? '1' : '', collector: '' })
            }
          />
          {t('desk.search.unassigned')}
        </label>
        <button type="submit" class="primary">
          {t('common.search')}
        </button>
      </form>
      {first.state === 'loading' ? <Loading /> : null}
      {first.state === 'error' ? <Failure message={first.message} retry={reload} /> : null}
      {first.state === 'ready' && items.length === 0 ? (
        <p class="muted" role="status">
          {t('desk.search.none')}
        </p>
      ) : null}
      {items.length > 0 ? (
        <ul class="desk-results" aria-label={t('desk.search.results')}>
          {items.map((d) => (
            <li key={d.id}>
              <a href={`/devedor?id=${d.id}`} class="name">
                {d.name}
              </a>
              <span class="doc">{shownDocument(d.document)}</span>
              <span class={`badge status-${d.status}`}>{word('status', d.status)}</span>
              <span class="stage">
                {t('desk.stageLabel')}: {word('stage', d.stage)}
              </span>
              <span class="money">
                {brl(d.totalDue)}
                {d.daysOverdue > 0 ? (
                  <span class="small muted">
                    {' '}
                    · {num(d.daysOverdue)} {t('desk.search.late')}
                  </span>
                ) : null}
              </span>
              <span class="who">{d.collector ? d.collector.name : t('desk.search.nobody')}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {moreError ? (
        <p class="notice error" role="alert">
          {moreError}
        </p>
      ) : null}
      {cursor ? (
        <button type="button" onClick={() => void loadMore()}>
          {t('desk.search.more')}
        </button>
      ) : null}
    </section>
  );
}
